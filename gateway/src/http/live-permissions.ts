import type { Role } from "../auth/tokens.js";
import type { LiveEvent } from "../live/events.js";
import { allows, type Permission } from "./roles.js";
import type { LiveSnapshot } from "./ws.js";

/**
 * The REST permission that reads the same data as a live event: a client
 * gets an event only when its token could read it through /api/v1, so the
 * feed is never a side door around the role matrix (`roles.ts`).
 */
export function eventPermission(event: LiveEvent): Permission {
  switch (event.type) {
    case "movement":
      return "movements:read";
    case "stock":
      return "stock:read";
    case "node":
      return "nodes:read";
    case "discrepancy":
      return "reconciliation:read";
    case "credit":
      return "credit:read";
    case "order":
      return "orders:read";
    case "analytics":
      // A margin names prices and costs: money; the rest is the warehouse's.
      return event.data.kind === "below-cost" || event.data.kind === "below-margin"
        ? "valuation:read"
        : "analytics:read";
    case "alert":
      // A credit alert names a customer (GET /credit/:customer); a node alert, a node.
      if (event.data.customer !== undefined) return "credit:read";
      if (event.data.node !== undefined) return "nodes:read";
      return "live:read";
  }
}

export function mayReceive(role: Role, event: LiveEvent): boolean {
  return allows(role, eventPermission(event));
}

/** The snapshot as `role` may read it: each part only with its REST permission, else empty. */
export function snapshotFor(role: Role, snapshot: LiveSnapshot): LiveSnapshot {
  return {
    stock: allows(role, "stock:read") ? snapshot.stock : [],
    nodes: allows(role, "nodes:read") ? snapshot.nodes : [],
  };
}

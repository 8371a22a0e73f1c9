import { stripUserinfo } from "@comptoir/contracts";
import { z } from "zod";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";
import { nodeView } from "./nodes.js";

export const HealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded", "down"]),
  store: z.strictObject({ ok: z.boolean(), detail: z.string().optional() }),
  broker: z.strictObject({
    state: z.enum(["up", "down", "connecting"]),
    url: z.string().optional(),
    detail: z.string().optional(),
  }),
  nodes: z.strictObject({
    total: z.number().int(),
    online: z.number().int(),
    offline: z.number().int(),
    unknown: z.number().int(),
    broken: z.number().int(),
  }),
  time: z.string(),
});

/** `GET /health`: no token, so that load balancers and systemd checks can call it. */
export function healthRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/health",
      summary:
        "liveness and readiness: store, broker, nodes (no token). 503 when the store or the broker is down",
      permission: null,
      responses: {
        200: { description: "ready", schema: HealthSchema },
        503: { description: "not ready", schema: HealthSchema },
      },
    },
    (c) => {
      let store: { ok: boolean; detail?: string } = { ok: true };
      const nodes = { total: 0, online: 0, offline: 0, unknown: 0, broken: 0 };
      try {
        deps.store.db.prepare("SELECT 1").get();
        for (const node of deps.store.nodes()) {
          const view = nodeView(node, deps.nodeStatus(node.id));
          nodes.total++;
          nodes[view.status]++;
          if (view.chain.state === "broken") nodes.broken++;
        }
      } catch (error) {
        // No token here: the cause (paths, SQL) goes to the log only.
        deps.log.error({ err: error }, "health: the store does not answer");
        store = { ok: false, detail: "the store does not answer — see the gateway's log" };
      }
      const reported = deps.brokerState();
      // An external broker's URL may carry its user and password.
      const broker = reported.url ? { ...reported, url: stripUserinfo(reported.url) } : reported;
      const status = !store.ok ? "down" : broker.state !== "up" ? "degraded" : "ok";
      return c.json(
        { status, store, broker, nodes, time: deps.clock.now().toISOString() },
        status === "ok" ? 200 : 503,
      );
    },
  );
}

import type { CreditDecision } from "@comptoir/contracts";
import type { OrderLineRow } from "./progress.js";
import type { OrderEventRow, OrderRow } from "./records.js";
import type { ResolvedOrder } from "./resolve.js";

/** The `order.placed` entry: the order's figures and the decision, as the credit decisions list reads them. */
export function placedEntry(
  order: ResolvedOrder,
  decision: CreditDecision,
): Record<string, unknown> {
  return {
    order: order.input.number,
    customer: order.input.customer,
    amount: order.total,
    currency: order.currency,
    orderDate: order.orderDate,
    requestedShipDate: order.input.requestedShipDate,
    state: decision.decision === "approve" ? "approved" : "held",
    decision: decision.decision,
    reasons: decision.reasons,
    figures: decision.figures,
  };
}

/** The rows of an order just placed and decided, its ledger entry at `seq`. */
export function placedRecords(
  order: ResolvedOrder,
  decision: CreditDecision,
  placed: { seq: number; at: string; by: string },
): { row: OrderRow; lines: OrderLineRow[]; event: OrderEventRow } {
  const state = decision.decision === "approve" ? "approved" : "held";
  const before = decision.figures.exposure;
  return {
    row: {
      number: order.input.number,
      customer: order.input.customer,
      order_date: order.orderDate,
      requested_ship_date: order.input.requestedShipDate,
      currency: order.currency,
      total: order.total,
      credit_state: state,
      cancelled: 0,
      state,
      decision: JSON.stringify(decision),
      version: 1,
      created_seq: placed.seq,
      created_at: placed.at,
      updated_at: placed.at,
    },
    lines: order.lines,
    event: {
      number: order.input.number,
      seq: placed.seq,
      at: placed.at,
      state,
      by: placed.by,
      // Held: the reasons, as the clerk would read them.
      reason: state === "held" ? decision.reasons.map((reason) => reason.message).join("; ") : null,
      exposure_before: before,
      // Held orders do not count in the exposure; approved ones do, until their goods leave.
      exposure_after: state === "approved" ? before + order.total : before,
    },
  };
}

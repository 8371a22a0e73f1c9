import { z } from "zod";

/**
 * The live feed's event payloads that are its own (GET /ws): the others are
 * a movement (MovementSchema), a stock row (StockRowSchema) and a discrepancy
 * (DiscrepancySchema). One definition for the gateway that publishes them
 * and the dashboard that reads them.
 */

/** A node whose state changed: enrolled, online/offline, chain broken (then seq, reason, detail). */
export const LiveNodeChangeSchema = z.looseObject({ id: z.string(), change: z.string() });
export type LiveNodeChange = z.infer<typeof LiveNodeChangeSchema>;

/**
 * Something to look at. Credit alerts name the customer; `code` tells a
 * customer who went over its limit from one back within (level `info`),
 * which ends the earlier one.
 */
export const LiveAlertSchema = z.object({
  level: z.enum(["info", "warning", "critical"]),
  message: z.string(),
  node: z.string().optional(),
  customer: z.string().optional(),
  code: z.enum(["over-limit", "within-limit", "hold-breach"]).optional(),
});
export type LiveAlert = z.infer<typeof LiveAlertSchema>;

/** A credit decision a counter took (approve or block), as synced from its ledger. */
export const LiveCreditDecisionSchema = z.object({
  customer: z.string(),
  node: z.string(),
  seq: z.number().int(),
  decision: z.enum(["approve", "block"]),
  reasons: z.array(z.string()).describe("the reasons' messages, as the clerk saw them"),
  amount: z.number().int(),
  currency: z.string(),
  clerk: z.string(),
  offline: z.boolean(),
  at: z.string(),
});
export type LiveCreditDecision = z.infer<typeof LiveCreditDecisionSchema>;

/** A sales order whose state changed (placed, held, released, overridden, shipped, cancelled). */
export const LiveOrderChangeSchema = z.object({
  order: z.string(),
  customer: z.string(),
  customerName: z.string(),
  state: z.string().describe("an OrderState"),
  previous: z.string().nullable().describe("null: the order was just placed"),
  total: z.number().int(),
  currency: z.string(),
  reasons: z.array(z.string()).describe("held: the reasons' messages"),
  by: z.string(),
  reason: z.string().optional(),
});
export type LiveOrderChange = z.infer<typeof LiveOrderChangeSchema>;

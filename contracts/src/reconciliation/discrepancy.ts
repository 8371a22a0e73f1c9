/**
 * The kinds of discrepancy reconciliation reports (business-rules.md,
 * "Reconciliation"): the `kind` of each item of GET /api/v1/reconciliation,
 * which the gateway computes and a simulated history's answer key counts.
 */
export const DISCREPANCY_KINDS = [
  "shipped_not_invoiced",
  "invoiced_not_shipped",
  "received_not_invoiced",
  "invoiced_not_received",
  "quantity_mismatch",
  "unknown_tag",
  "stock_gap",
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

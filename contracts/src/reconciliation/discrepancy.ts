/**
 * The kinds of discrepancy reconciliation reports (business-rules.md,
 * "Reconciliation"): the `kind` of each item of GET /api/v1/reconciliation,
 * which the gateway computes and a simulated site's answer key counts.
 *
 * Per order (or customer and period) and product, goods seen against
 * quantities invoiced: more seen than invoiced is `shipped_not_invoiced`
 * (`received_not_invoiced`) for the surplus, fewer is `invoiced_not_shipped`
 * (`invoiced_not_received`) for the missing units, with the reads seen as
 * evidence either way. `unknown_tag`: a tag that is neither an SGTIN nor
 * commissioned. `unknown_product`: items whose GTIN the catalog does not
 * know, per GTIN. `stock_gap`: RFID stock per product against book stock.
 */
export const DISCREPANCY_KINDS = [
  "shipped_not_invoiced",
  "invoiced_not_shipped",
  "received_not_invoiced",
  "invoiced_not_received",
  "unknown_tag",
  "unknown_product",
  "stock_gap",
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

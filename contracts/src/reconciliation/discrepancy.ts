import { z } from "zod";

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

/** A read behind a discrepancy: which tag, where and when. */
export const EvidenceSchema = z.strictObject({
  epc: z.string(),
  node: z.string(),
  reader: z.string(),
  antennas: z.array(z.number().int()),
  at: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/**
 * One discrepancy as GET /api/v1/reconciliation lists it and the live feed's
 * `discrepancy` event carries it (the dashboard reads both).
 */
export const DiscrepancySchema = z.strictObject({
  /** Stable across runs: the same gap gets the same id, so the live feed pushes only new ones. */
  id: z.string(),
  kind: z.enum(DISCREPANCY_KINDS),
  side: z.enum(["sales", "purchases", "stock"]),
  /** The order (BT-13) it is about, or null when grouped by customer or supplier and period. */
  order: z.string().nullable(),
  customer: z.string().nullable(),
  supplier: z.string().nullable(),
  sku: z.string().nullable(),
  gtin: z.string().nullable(),
  zone: z.string().nullable(),
  observed: z.number(),
  invoiced: z.number(),
  /** observed − invoiced (stock: counted − book). */
  difference: z.number(),
  /** |difference| × unit price (invoice price, else catalog price), minor units; null when no price is known. */
  amount: z.number().int().nullable(),
  unitPrice: z.number().int().nullable(),
  priceFrom: z.enum(["invoice", "catalog"]).nullable(),
  invoices: z.array(z.string()),
  /** Whole days since the earliest event (read or invoice date) it is about. */
  ageDays: z.number().int(),
  since: z.string(),
  evidence: z.array(EvidenceSchema),
});
export type Discrepancy = z.infer<typeof DiscrepancySchema>;

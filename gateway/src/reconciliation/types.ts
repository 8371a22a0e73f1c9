import { DISCREPANCY_KINDS } from "@comptoir/contracts";
import { z } from "zod";

/** One item seen crossing a portal (a movement of kind ship or receive), with its read evidence. */
export interface ObservedItem {
  epc: string;
  /** null: the tag was never commissioned (an unknown tag). */
  sku: string | null;
  gtin?: string;
  order?: string;
  customer?: string;
  /** The node (chain) that recorded it, its reader and antennas. */
  node: string;
  reader: string;
  antennas: number[];
  at: string;
}

/** Items read with the same order, customer and item: counted in SQL, their reads fetched only when needed. */
export interface ObservedGroup {
  order?: string;
  customer?: string;
  sku: string | null;
  gtin?: string;
  count: number;
  firstAt: string;
  /** The reads, when already at hand (tests, small sets). */
  items?: ObservedItem[];
}

/** One invoice line as reconciliation needs it; credit notes carry negative quantities. */
export interface BilledLine {
  invoice: string;
  type: "invoice" | "credit-note";
  orderRef?: string;
  /** BT-16: the despatch advice the goods came with, which a receipt may name instead of the order. */
  despatchRef?: string;
  customer?: string;
  supplier?: string;
  issueDate: string;
  sku?: string;
  gtin?: string;
  quantity: number;
  unitPrice: number;
}

export const EvidenceSchema = z.strictObject({
  epc: z.string(),
  node: z.string(),
  reader: z.string(),
  antennas: z.array(z.number().int()),
  at: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

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

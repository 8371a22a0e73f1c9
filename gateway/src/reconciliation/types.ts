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

/** A discrepancy and its evidence are the dashboard's too: defined once, in contracts. */
export {
  type Discrepancy,
  DiscrepancySchema,
  type Evidence,
  EvidenceSchema,
} from "@comptoir/contracts";

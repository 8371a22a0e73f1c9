/**
 * The mistakes a generated history makes on purpose, and the count of
 * each discrepancy kind they (and the goods still within their grace
 * period) must give, worked out from what the history physically did and
 * what it billed — per order and SKU, as business-rules.md defines the
 * comparison — without the gateway's code.
 *
 * Every item the history reads is either of a catalog product (the
 * movement names its SKU) or a tag nobody commissioned, so it never makes
 * an `unknown_product`.
 */

import { DISCREPANCY_KINDS, type DiscrepancyKind } from "@comptoir/contracts";

/** How many of each mistake to make. */
export interface FaultPlan {
  /** A customer order shipped and never invoiced. */
  shippedNotInvoiced: number;
  /** A customer invoice for an order that never left the dock. */
  invoicedNotShipped: number;
  /**
   * A customer invoice billing one item more or less than shipped: the
   * missing unit is `invoiced_not_shipped`, a surplus one `shipped_not_invoiced`.
   */
  salesQuantityMismatch: number;
  /** A supplier delivery never invoiced. */
  receivedNotInvoiced: number;
  /** A supplier invoice for goods that never arrived. */
  invoicedNotReceived: number;
  /** A supplier invoice billing one item more than delivered: `invoiced_not_received` for it. */
  purchaseQuantityMismatch: number;
  /** An uncommissioned tag read with an order's goods. */
  unknownTag: number;
}
export type FaultName = keyof FaultPlan;

export const DEFAULT_FAULTS: FaultPlan = {
  shippedNotInvoiced: 3,
  invoicedNotShipped: 2,
  salesQuantityMismatch: 3,
  receivedNotInvoiced: 2,
  invoicedNotReceived: 2,
  purchaseQuantityMismatch: 2,
  unknownTag: 2,
};

/** One mistake made: which order it is on, for messages when a count is off. */
export interface InjectedFault {
  fault: FaultName;
  order: string;
  date: string;
}

/** What a history did with one order (sales) or purchase order: items read per SKU, quantities billed. */
export interface GoodsRecord {
  order: string;
  /** SKU → items read at the portal, and the time of the first read. */
  seen: Map<string, { count: number; firstAt: string }>;
  /** SKU → quantity billed; undefined: no invoice (yet). A SKU absent: no invoice names it. */
  billed: Map<string, number> | undefined;
  unknownTags: number;
}

const DAY_MS = 86_400_000;

/**
 * Counts per kind: per order and SKU, goods read against quantities billed.
 * More read than billed is one `*_not_invoiced` finding (for the surplus):
 * at once when an invoice of the order names the SKU, otherwise only once
 * the goods are older than `graceDays` at `now`. Fewer read than billed is
 * one `invoiced_not_*` finding (for the missing units), whether none or some
 * were read. One unknown-tag finding per order; one stock gap per SKU whose
 * count (items received less items shipped) differs from the book (supplier
 * quantities billed less customer quantities billed, plus the goods nothing
 * bills yet that are still within the grace period, taken as their invoice
 * will bill them: received ones in, shipped ones out).
 */
export function expectedCounts(
  sales: readonly GoodsRecord[],
  purchases: readonly GoodsRecord[],
  stock: ReadonlyMap<string, { counted: number; book: number }>,
  now: string,
  graceDays: number,
): Record<DiscrepancyKind, number> {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, 0])) as Record<
    DiscrepancyKind,
    number
  >;
  const nowMs = Date.parse(now);
  /** Per SKU: goods read that nothing bills yet, within the grace period (+ received, − shipped). */
  const awaiting = new Map<string, number>();
  const side = (
    records: readonly GoodsRecord[],
    notBilled: DiscrepancyKind,
    notSeen: DiscrepancyKind,
    sign: 1 | -1,
  ) => {
    for (const record of records) {
      if (record.unknownTags > 0) counts.unknown_tag += 1;
      const skus = new Set([...record.seen.keys(), ...(record.billed?.keys() ?? [])]);
      for (const sku of skus) {
        const seen = record.seen.get(sku);
        const read = seen?.count ?? 0;
        const billed = record.billed?.get(sku);
        const quantity = billed ?? 0;
        if (read === quantity) continue;
        if (read < quantity) counts[notSeen] += 1;
        else if (
          billed !== undefined ||
          (seen && nowMs - Date.parse(seen.firstAt) >= graceDays * DAY_MS)
        )
          counts[notBilled] += 1;
        else awaiting.set(sku, (awaiting.get(sku) ?? 0) + sign * read);
      }
    }
  };
  side(sales, "shipped_not_invoiced", "invoiced_not_shipped", -1);
  side(purchases, "received_not_invoiced", "invoiced_not_received", 1);
  for (const [sku, { counted, book }] of stock)
    if (counted !== book + (awaiting.get(sku) ?? 0)) counts.stock_gap += 1;
  return counts;
}

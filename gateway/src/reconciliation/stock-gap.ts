import type { Discrepancy } from "./types.js";

/**
 * Stock counted by RFID against book stock. The book is per SKU (receipts
 * less invoiced sales: invoices know no zone), so the gap is per SKU; the
 * counted rows per zone go along so that the count can be checked where
 * it differs. Adjustments are posted from this list, as deltas with a
 * reason, never by overwriting the count.
 */
export function stockGaps(
  counted: readonly { sku: string | null; zone: string; count: number }[],
  book: ReadonlyMap<string, number>,
  options: { now: Date; catalogPrice?: (sku: string) => number | undefined },
): Discrepancy[] {
  const perSku = new Map<string, { total: number; zones: string[] }>();
  for (const row of counted) {
    if (row.sku === null) continue;
    const entry = perSku.get(row.sku) ?? { total: 0, zones: [] };
    entry.total += row.count;
    entry.zones.push(`${row.zone}=${row.count}`);
    perSku.set(row.sku, entry);
  }
  const skus = new Set([...perSku.keys(), ...book.keys()]);
  const gaps: Discrepancy[] = [];
  const now = options.now.toISOString();
  for (const sku of [...skus].sort()) {
    const seen = perSku.get(sku)?.total ?? 0;
    const expected = book.get(sku) ?? 0;
    if (seen === expected) continue;
    const price = options.catalogPrice?.(sku);
    const difference = seen - expected;
    gaps.push({
      id: `stock_gap:${sku}:${difference}`,
      kind: "stock_gap",
      side: "stock",
      order: null,
      customer: null,
      supplier: null,
      sku,
      gtin: null,
      zone: perSku.get(sku)?.zones.join(" ") ?? null,
      observed: seen,
      invoiced: expected,
      difference,
      amount: price === undefined ? null : Math.abs(difference) * price,
      unitPrice: price ?? null,
      priceFrom: price === undefined ? null : "catalog",
      invoices: [],
      ageDays: 0,
      since: now,
      evidence: [],
    });
  }
  return gaps;
}

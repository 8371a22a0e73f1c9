import { DISCREPANCY_KINDS, type DiscrepancyKind } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { Catalog } from "../catalog/service.js";
import type { Store } from "../store/store.js";
import { matchGoodsToInvoices } from "./match.js";
import { GoodsProjection } from "./projection.js";
import { bookStock, loadReconciliation, type ReconciliationFilter } from "./source.js";
import { stockGaps } from "./stock-gap.js";
import type { Discrepancy } from "./types.js";
import { unknownProducts } from "./unknown-product.js";

export interface ReconciliationOptions extends ReconciliationFilter {
  /** Which comparisons: shipments (sales), receipts (purchases), stock count, or all (default). */
  side?: "sales" | "purchases" | "stock" | "all";
  graceDays?: number;
  now: Date;
}

export interface ReconciliationReport {
  /** First key on purpose: clients that take "the list in the answer" find it. */
  discrepancies: Discrepancy[];
  unmatchable: { order: string | null; invoices: string[] }[];
  counts: Record<DiscrepancyKind, number>;
  asOf: string;
  graceDays: number;
}

/**
 * Prices and GTINs from the catalog, each looked up when first needed and
 * remembered for the run: reconciling one order must not read a catalog
 * of ten thousand products.
 */
function catalogLookups(catalog: Catalog) {
  const prices = new Map<string, number | undefined>();
  const skus = new Map<string, string | undefined>();
  return {
    catalogPrice: (sku: string) => {
      if (!prices.has(sku)) prices.set(sku, catalog.unitPriceOf(sku));
      return prices.get(sku);
    },
    skuOfGtin: (gtin: string) => {
      if (!skus.has(gtin)) skus.set(gtin, catalog.skuOfGtin(gtin));
      return skus.get(gtin);
    },
  };
}

/** The whole reconciliation over the store: goods against invoices both ways, and the stock count against the book. */
export function runReconciliation(
  store: Store,
  catalog: Catalog,
  options: ReconciliationOptions,
): ReconciliationReport {
  const db: Database = store.db;
  const side = options.side ?? "all";
  const graceDays = options.graceDays ?? 3;
  const lookups = catalogLookups(catalog);
  new GoodsProjection(db).catchUp();
  const discrepancies: Discrepancy[] = [];
  const unmatchable: ReconciliationReport["unmatchable"] = [];
  // The stock count is site-wide: it does not belong to one customer, order or period.
  const siteWide = !options.customer && !options.order && !options.from && !options.to;
  const countStock = (side === "all" || side === "stock") && siteWide;
  /** Goods not invoiced yet but within the grace period, per SKU: the book takes them as invoiced. */
  const inFlight = new Map<string, number>();
  for (const goods of ["sales", "purchases"] as const) {
    const reported = side === "all" || side === goods;
    if (!reported && !countStock) continue;
    if (goods === "purchases" && options.customer) continue;
    const input = loadReconciliation(db, goods, options);
    const result = matchGoodsToInvoices(
      input.goods,
      input.lines,
      { side: goods, now: options.now, graceDays, ...lookups },
      input.lineless,
    );
    if (reported) {
      discrepancies.push(...result.discrepancies);
      unmatchable.push(...result.unmatchable);
    }
    const sign = goods === "sales" ? -1 : 1;
    for (const { sku, quantity } of result.awaitingInvoice)
      inFlight.set(sku, (inFlight.get(sku) ?? 0) + sign * quantity);
  }
  // The products missing from the catalog are site-wide too.
  if (countStock) {
    const book = bookStock(db, lookups.skuOfGtin);
    for (const [sku, delta] of inFlight) book.set(sku, (book.get(sku) ?? 0) + delta);
    discrepancies.push(
      ...stockGaps(store.stock(), book, {
        now: options.now,
        catalogPrice: lookups.catalogPrice,
      }),
      ...unknownProducts(db, options.now),
    );
  }
  discrepancies.sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, 0])) as Record<
    DiscrepancyKind,
    number
  >;
  for (const item of discrepancies) counts[item.kind] += 1;
  return { discrepancies, unmatchable, counts, asOf: options.now.toISOString(), graceDays };
}

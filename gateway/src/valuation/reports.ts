import type {
  CogsReportView,
  CostMethod,
  LayerListView,
  ValuationReportView,
  ValueHistoryView,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { ValuationBook } from "./book.js";
import type { Unvalued } from "./service.js";

/**
 * The /valuation views (contracts/src/valuation/valuation.ts) read from the
 * book: stock value as of an instant, the layers, the cost of goods of a
 * period, the value at each day's end. Amounts in minor units.
 */

/** Product names from the catalog (a product the catalog lost keeps its SKU as name). */
export function productNames(db: Database.Database): Map<string, string> {
  const exists = prepared<[], { found: number }>(
    db,
    "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'products'",
  ).get();
  if (!exists) return new Map();
  return new Map(
    prepared<[], { sku: string; name: string }>(db, "SELECT sku, name FROM products")
      .all()
      .map((row) => [row.sku, row.name]),
  );
}

/** `total` shared in proportion to `weights`, the units left over to the largest remainders (then in order). */
export function shareByLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map((x) => Math.floor(x));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rest: x - Math.floor(x) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) {
    const i = (order[k] as { i: number }).i;
    shares[i] = (shares[i] as number) + 1;
  }
  return shares;
}

const sortBySku = <T extends { sku: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));

export function valuationReport(
  book: ValuationBook,
  input: {
    /** Absent: now, every movement stored (a node's clock a little ahead included). */
    asOf: string | undefined;
    now: string;
    method: CostMethod;
    currency: string;
    names: Map<string, string>;
    unvalued: Unvalued;
  },
): ValuationReportView {
  const rows: ValuationReportView["rows"] = [];
  const totals = {
    quantity: 0,
    value: 0,
    actualValue: 0,
    provisionalQuantity: 0,
    provisionalValue: 0,
  };
  for (const [sku, v] of book.value(input.asOf, input.method)) {
    if (v.quantity === 0 && v.value === 0) continue;
    const zones = [...v.zones]
      .map(([zone, quantity]) => ({ zone: zone ?? "", quantity }))
      .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
    const shares = shareByLargestRemainder(
      v.value,
      zones.map((z) => z.quantity),
    );
    rows.push({
      sku,
      name: input.names.get(sku) ?? sku,
      quantity: v.quantity,
      value: v.value,
      unitCost: v.quantity === 0 ? 0 : Math.round(v.value / v.quantity),
      provisionalQuantity: v.provisionalQuantity,
      actualValue: v.actualValue,
      zones: zones.map((z, i) => ({ ...z, value: shares[i] as number })),
    });
    totals.quantity += v.quantity;
    totals.value += v.value;
    totals.actualValue += v.actualValue;
    totals.provisionalQuantity += v.provisionalQuantity;
    totals.provisionalValue += v.provisionalValue;
  }
  return {
    asOf: input.asOf ?? input.now,
    method: input.method,
    currency: input.currency,
    rows: sortBySku(rows),
    totals,
    unvalued: input.unvalued,
  };
}

export function layerList(
  book: ValuationBook,
  input: { sku?: string; open: boolean; currency: string },
): LayerListView {
  const layers = book
    .layers(input.sku)
    .filter((layer) => !input.open || layer.remaining > 0)
    .map((layer) => {
      const cost = book.cost(layer.key);
      return {
        ...layer,
        unitCost: cost.unitCost,
        provisional: cost.provisional,
        invoice: cost.invoice,
      };
    });
  return { currency: input.currency, layers };
}

export function cogsReport(
  book: ValuationBook,
  input: {
    from: string | null;
    to: string | null;
    method: CostMethod;
    currency: string;
    names: Map<string, string>;
  },
): CogsReportView {
  const rows: CogsReportView["rows"] = [];
  const totals = { quantity: 0, cogs: 0, actualCost: 0, difference: 0 };
  const range = {
    ...(input.from === null ? {} : { from: input.from }),
    ...(input.to === null ? {} : { to: input.to }),
  };
  for (const [sku, c] of book.cogs(range, input.method)) {
    if (c.quantity === 0) continue;
    const difference = c.actualCost - c.fifoCost;
    rows.push({
      sku,
      name: input.names.get(sku) ?? sku,
      quantity: c.quantity,
      shipped: c.byKind.ship,
      sold: c.byKind.sale,
      writtenOff: c.byKind.adjust,
      cogs: c.cogs,
      actualCost: c.actualCost,
      difference,
      provisional: c.provisional,
    });
    totals.quantity += c.quantity;
    totals.cogs += c.cogs;
    totals.actualCost += c.actualCost;
    totals.difference += difference;
  }
  return {
    from: input.from,
    to: input.to,
    method: input.method,
    currency: input.currency,
    rows: sortBySku(rows),
    totals,
  };
}

/** Dates from `from` to `to` (YYYY-MM-DD, inclusive). */
function dates(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00.000Z`);
  return Array.from({ length: count }, (_, d) =>
    new Date(start + d * 86_400_000).toISOString().slice(0, 10),
  );
}

export function valueHistory(
  book: ValuationBook,
  input: { from: string; to: string; method: CostMethod; currency: string },
): ValueHistoryView {
  const values = book.valueByDay(input.from, input.to, input.method);
  const quantities = book.quantityByDay(input.from, input.to);
  let count = 0;
  for (const days of values.values()) count = days.length;
  if (count === 0) {
    count = Math.max(
      0,
      Math.round((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000) + 1,
    );
  }
  const value = new Array<number>(count).fill(0);
  const quantity = new Array<number>(count).fill(0);
  for (const days of values.values()) {
    for (let d = 0; d < count; d++) value[d] = (value[d] as number) + (days[d] as number);
  }
  for (const days of quantities.values()) {
    for (let d = 0; d < count; d++) quantity[d] = (quantity[d] as number) + (days[d] as number);
  }
  return {
    method: input.method,
    currency: input.currency,
    points: dates(input.from, count).map((date, d) => ({
      date,
      value: value[d] as number,
      quantity: quantity[d] as number,
    })),
  };
}

import type {
  CogsReportView,
  CostMethod,
  LayerListView,
  ValuationReportView,
  ValueHistoryView,
} from "@comptoir/contracts";
import type { Names, ValuationBook } from "./book.js";
import type { Unvalued } from "./service.js";

/**
 * The /valuation views (contracts/src/valuation/valuation.ts) read from the
 * book: stock value as of an instant, the layers, the cost of goods of a
 * period, the value at each day's end. Amounts in minor units.
 */

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
    names: Names;
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
      name: input.names(sku),
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
    names: Names;
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
      name: input.names(sku),
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
function dates(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00.000Z`);
  const count = Math.max(
    0,
    Math.round((Date.parse(`${to}T00:00:00.000Z`) - start) / 86_400_000) + 1,
  );
  return Array.from({ length: count }, (_, d) =>
    new Date(start + d * 86_400_000).toISOString().slice(0, 10),
  );
}

/** `days` per product summed day by day. */
function sumByDay(perProduct: Map<string, number[]>, count: number): number[] {
  const sum = new Array<number>(count).fill(0);
  for (const days of perProduct.values()) {
    for (let d = 0; d < count; d++) sum[d] = (sum[d] as number) + (days[d] as number);
  }
  return sum;
}

export function valueHistory(
  book: ValuationBook,
  input: { from: string; to: string; method: CostMethod; currency: string },
): ValueHistoryView {
  const days = dates(input.from, input.to);
  const value = sumByDay(book.valueByDay(input.from, input.to, input.method), days.length);
  const quantity = sumByDay(book.quantityByDay(input.from, input.to), days.length);
  return {
    method: input.method,
    currency: input.currency,
    points: days.map((date, d) => ({
      date,
      value: value[d] as number,
      quantity: quantity[d] as number,
    })),
  };
}

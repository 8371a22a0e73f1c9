import type { AbcHistoryView, AbcReportView, AbcRowView, CostMethod } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import type { ValuationBook } from "../valuation/book.js";
import { csvMoney, type Names, type Period, round } from "./rotation.js";

export type AbcClass = AbcRowView["class"];

/** Cumulative shares (percent) that end class A, then class B: the config's `analytics.abc.a` and `b`. */
export interface AbcThresholds {
  a: number;
  b: number;
}

/** One product's consumption value over the period. */
export interface AbcInput {
  sku: string;
  value: number;
}

/**
 * The classes, products by value descending (then SKU, so that ties always
 * fall the same way). The rule, exactly: with `before` the cumulative share
 * of the products ranked above this one,
 * - A when `before < a`: every product whose cumulative share (its own
 *   included) is ≤ a, and the one product that crosses a (it carries the
 *   share that reaches a, so it belongs to the top);
 * - else B when `before < b` (the same for b);
 * - else C; and a product with no consumption is C whatever its rank.
 * So a product that ends exactly on a is A and the next one is B. The
 * comparison is in integers scaled by 100 (`before × 100 < a × total`), so
 * no rounding of the percentages moves a product across a boundary.
 */
export function classify(
  inputs: readonly AbcInput[],
  thresholds: AbcThresholds,
): { sku: string; value: number; share: number; cumulative: number; class: AbcClass }[] {
  const sorted = [...inputs].sort(
    (x, y) => y.value - x.value || (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0),
  );
  let total = 0;
  for (const input of sorted) total += input.value;
  let before = 0;
  return sorted.map(({ sku, value }) => {
    let cls: AbcClass = "C";
    if (value > 0) {
      if (before * 100 < thresholds.a * total) cls = "A";
      else if (before * 100 < thresholds.b * total) cls = "B";
    }
    before += value;
    return {
      sku,
      value,
      share: total === 0 ? 0 : round((100 * value) / total, 2),
      cumulative: total === 0 ? 0 : round((100 * before) / total, 2),
      class: cls,
    };
  });
}

/**
 * ABC classes by share of consumption value (COGS by the site's method)
 * over a period, for every product the book has seen (those that did not
 * move are C with value 0). `previous` comes from the last recorded run
 * (`AbcStore.lastClasses`), empty when none.
 */
export function abcReport(
  book: ValuationBook,
  period: Period,
  thresholds: AbcThresholds,
  names: Names,
  options: {
    method: CostMethod;
    currency: string;
    previous?: ReadonlyMap<string, AbcClass>;
  },
): AbcReportView {
  const cogs = book.cogs({ from: period.from, to: period.to }, options.method);
  const inputs: AbcInput[] = [];
  const seen = new Set<string>();
  for (const sku of book.skus()) {
    seen.add(sku);
    inputs.push({ sku, value: cogs.get(sku)?.cogs ?? 0 });
  }
  // A product that only went out without ever being received is still consumption.
  for (const [sku, figures] of cogs) if (!seen.has(sku)) inputs.push({ sku, value: figures.cogs });
  return {
    from: period.from,
    to: period.to,
    thresholds: { a: thresholds.a, b: thresholds.b },
    currency: options.currency,
    rows: classify(inputs, thresholds).map((row) => ({
      ...row,
      name: names(row.sku),
      previous: options.previous?.get(row.sku) ?? null,
    })),
    runAt: null,
  };
}

/** The ABC classes as CSV, products by value descending. */
export function abcCsv(report: AbcReportView): string {
  let out = csvLine([
    "sku",
    "name",
    "value",
    "share_percent",
    "cumulative_percent",
    "class",
    "previous",
    "currency",
    "from",
    "to",
  ]);
  for (const row of report.rows) {
    out += csvLine([
      row.sku,
      row.name,
      csvMoney(row.value, report.currency),
      row.share,
      row.cumulative,
      row.class,
      row.previous,
      report.currency,
      report.from,
      report.to,
    ]);
  }
  return out;
}

/** The class changes as CSV, newest run first. */
export function abcHistoryCsv(history: AbcHistoryView, currency: string): string {
  let out = csvLine(["run_at", "sku", "from", "to", "value", "share_percent", "currency"]);
  for (const change of history.changes) {
    out += csvLine([
      change.runAt,
      change.sku,
      change.from,
      change.to,
      csvMoney(change.value, currency),
      change.share,
      currency,
    ]);
  }
  return out;
}

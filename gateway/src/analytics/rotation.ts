import {
  type CostMethod,
  formatDecimalMoney,
  type RotationReportView,
  type RotationRowView,
} from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import type { Names, ValuationBook } from "../valuation/book.js";

export const DAY_MS = 86_400_000;

/** A period of the reports: ISO UTC instants, both inclusive. */
export interface Period {
  from: string;
  to: string;
}

export type { Names } from "../valuation/book.js";

/** Rounds to `digits` decimals (half away from zero is not needed: figures here are never negative). */
export const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** Days between two ISO instants, as a fraction. */
export const daysBetween = (from: string, to: string): number =>
  (Date.parse(to) - Date.parse(from)) / DAY_MS;

/** The UTC dates (YYYY-MM-DD) of a period's first and last day, and how many days that is. */
export function periodDays(period: Period): { first: string; last: string; days: number } {
  const first = period.from.slice(0, 10);
  const last = period.to.slice(0, 10);
  return { first, last, days: Math.round(daysBetween(first, last)) + 1 };
}

/**
 * The default period of the reports: the last `days` UTC days, today
 * included (so `valueByDay` gives exactly `days` values), up to now.
 */
export function lastDays(now: Date, days: number): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS).toISOString(), to: now.toISOString() };
}

/** Mean, median and max of receipt-to-exit times in days (two decimals); null with none. */
export function dwellStats(days: number[]): RotationRowView["dwellDays"] {
  if (days.length === 0) return null;
  const sorted = Float64Array.from(days).sort();
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  let sum = 0;
  for (const d of sorted) sum += d;
  return {
    mean: round(sum / sorted.length, 2),
    median: round(median, 2),
    max: round(sorted[sorted.length - 1] ?? 0, 2),
  };
}

/** What one pass over the exits gathers per product. */
interface ExitFigures {
  unitsOut: number;
  dwell: number[];
  breaches: number;
  lastOut: string | null;
}

/**
 * A product's exits in the period (in time order, per product, so no sort
 * across products), and its last exit ever: the period's last, else looked
 * up to the period's end only for a product that did not move in it.
 */
function exitFigures(book: ValuationBook, sku: string, period: Period): ExitFigures {
  const exits = book.exits({ sku, from: period.from, to: period.to });
  const before = exits.length > 0 ? exits : book.exits({ sku, to: period.to });
  const figures: ExitFigures = {
    unitsOut: exits.length,
    dwell: [],
    breaches: 0,
    lastOut: before[before.length - 1]?.at ?? null,
  };
  for (const exit of exits) {
    if (exit.olderOnSite) figures.breaches++;
    if (exit.receivedAt) figures.dwell.push(daysBetween(exit.receivedAt, exit.at));
  }
  return figures;
}

/** Per product, the units on site now and the receipt of the oldest. */
function onSiteFigures(book: ValuationBook): Map<string, { count: number; oldest: string }> {
  const bySku = new Map<string, { count: number; oldest: string }>();
  for (const unit of book.onSite()) {
    const figures = bySku.get(unit.sku);
    if (!figures) bySku.set(unit.sku, { count: 1, oldest: unit.receivedAt });
    else {
      figures.count++;
      // Compared as instants: ISO strings with and without milliseconds do not sort alike.
      if (Date.parse(unit.receivedAt) < Date.parse(figures.oldest))
        figures.oldest = unit.receivedAt;
    }
  }
  return bySku;
}

/**
 * Turnover and days of stock per product over a period, with what RFID adds
 * (dwell of the units that left, age of those still here, FIFO breaches).
 * Turnover is COGS (by `method`) over the average stock value, the mean of
 * the value at the end of each UTC day of the period; days of stock is the
 * period's days over turnover. Products with nothing to say (no COGS, no
 * stock, no exit) are left out. Rows by COGS descending, then SKU.
 */
export function rotationReport(
  book: ValuationBook,
  period: Period,
  method: CostMethod,
  names: Names,
  now: Date,
  currency: string,
): RotationReportView {
  const { first, last, days } = periodDays(period);
  const cogs = book.cogs({ from: period.from, to: period.to }, method);
  const values = book.valueByDay(first, last, method);
  const onSite = onSiteFigures(book);
  const nowIso = now.toISOString();

  const rows: RotationRowView[] = [];
  for (const sku of book.skus()) {
    const cost = cogs.get(sku)?.cogs ?? 0;
    const daily = values.get(sku);
    let total = 0;
    if (daily) for (const value of daily) total += value;
    const averageValue = daily && daily.length > 0 ? Math.round(total / daily.length) : 0;
    const out = exitFigures(book, sku, period);
    const here = onSite.get(sku);
    if (cost === 0 && averageValue === 0 && out.unitsOut === 0 && !here) continue;
    const turnover = averageValue === 0 ? null : round(cost / averageValue, 2);
    rows.push({
      sku,
      name: names(sku),
      cogs: cost,
      averageValue,
      turnover,
      // From the exact ratio, not the rounded turnover; null when that rounds to 0 (nothing moves).
      daysOfStock:
        turnover === null || turnover === 0 ? null : round((days * averageValue) / cost, 1),
      unitsOut: out.unitsOut,
      dwellDays: dwellStats(out.dwell),
      onSite: here?.count ?? 0,
      oldestAgeDays: here ? round(daysBetween(here.oldest, nowIso), 1) : null,
      fifoBreaches: out.breaches,
      lastOut: out.lastOut,
    });
  }
  rows.sort((a, b) => b.cogs - a.cogs || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return { from: period.from, to: period.to, days, currency, rows };
}

/** Amounts in a CSV: decimals with a point ("1234.50"), as the other exports write them. */
export const csvMoney = (amount: number, currency: string): string =>
  formatDecimalMoney({ amount, currency });

/** The rotation report as CSV: one line per product, amounts as decimals. */
export function rotationCsv(report: RotationReportView): string {
  let out = csvLine([
    "sku",
    "name",
    "cogs",
    "average_value",
    "turnover",
    "days_of_stock",
    "units_out",
    "dwell_mean_days",
    "dwell_median_days",
    "dwell_max_days",
    "on_site",
    "oldest_age_days",
    "fifo_breaches",
    "last_out",
    "currency",
    "from",
    "to",
  ]);
  for (const row of report.rows) {
    out += csvLine([
      row.sku,
      row.name,
      csvMoney(row.cogs, report.currency),
      csvMoney(row.averageValue, report.currency),
      row.turnover,
      row.daysOfStock,
      row.unitsOut,
      row.dwellDays?.mean,
      row.dwellDays?.median,
      row.dwellDays?.max,
      row.onSite,
      row.oldestAgeDays,
      row.fifoBreaches,
      row.lastOut,
      report.currency,
      report.from,
      report.to,
    ]);
  }
  return out;
}

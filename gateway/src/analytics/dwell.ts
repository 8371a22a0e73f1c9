import type { DwellReportView } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import type { ValuationBook } from "../valuation/book.js";
import { daysBetween, type Names, round } from "./rotation.js";

/** The histogram's buckets, in days: [from, to), the last open-ended. */
export const DWELL_BUCKETS: readonly { label: string; fromDays: number; toDays: number | null }[] =
  [
    { label: "0-1", fromDays: 0, toDays: 1 },
    { label: "1-7", fromDays: 1, toDays: 7 },
    { label: "7-30", fromDays: 7, toDays: 30 },
    { label: "30-90", fromDays: 30, toDays: 90 },
    { label: "90+", fromDays: 90, toDays: null },
  ];

export interface DwellQuery {
  sku?: string;
  /** ISO UTC instants, inclusive: the exits counted in the histogram. */
  from?: string;
  to?: string;
  /** How many of the oldest units on site to list. */
  limit: number;
}

/** The bucket of a dwell time: a unit that stayed exactly 7 days is in `7-30`. */
export function bucketOf(days: number): number {
  for (let i = DWELL_BUCKETS.length - 1; i > 0; i--) {
    if (days >= (DWELL_BUCKETS[i]?.fromDays ?? 0)) return i;
  }
  return 0;
}

/**
 * Dwell time (receipt to exit, known per unit from RFID) of the units that
 * left in a range, as a histogram, and the oldest units still on site now,
 * oldest first. Units that went out without ever being seen arriving have
 * no dwell and are not counted.
 */
export function dwellReport(
  book: ValuationBook,
  query: DwellQuery,
  names: Names,
  now: Date,
): DwellReportView {
  const counts = DWELL_BUCKETS.map(() => 0);
  const range = {
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: query.to } : {}),
  };
  // Per product: each one's exits come in time order, and no sort across products is needed.
  for (const sku of query.sku ? [query.sku] : book.skus()) {
    for (const exit of book.exits({ ...range, sku })) {
      if (!exit.receivedAt) continue;
      const i = bucketOf(daysBetween(exit.receivedAt, exit.at));
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  const nowIso = now.toISOString();
  // Sorted as instants (ISO strings with and without milliseconds do not sort alike), then EPC.
  const oldest = book
    .onSite(query.sku)
    .map((unit) => ({ unit, ms: Date.parse(unit.receivedAt) }))
    .sort((a, b) => a.ms - b.ms || (a.unit.epc < b.unit.epc ? -1 : 1))
    .map(({ unit }) => unit)
    .slice(0, query.limit)
    .map((unit) => ({
      epc: unit.epc,
      sku: unit.sku,
      name: names(unit.sku),
      zone: unit.zone,
      receivedAt: unit.receivedAt,
      ageDays: round(daysBetween(unit.receivedAt, nowIso), 1),
    }));
  return {
    buckets: DWELL_BUCKETS.map((bucket, i) => ({ ...bucket, count: counts[i] ?? 0 })),
    oldest,
  };
}

/** The dwell export: the oldest units on site, one line each (the histogram is a chart, not a list). */
export function oldestUnitsCsv(report: DwellReportView): string {
  let out = csvLine(["epc", "sku", "name", "zone", "received_at", "age_days"]);
  for (const unit of report.oldest) {
    out += csvLine([unit.epc, unit.sku, unit.name, unit.zone, unit.receivedAt, unit.ageDays]);
  }
  return out;
}

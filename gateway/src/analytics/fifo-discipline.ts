import type { FifoDisciplineView } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import type { ValuationBook } from "../valuation/book.js";
import { type Names, round } from "./rotation.js";

/** The zone of an exit whose zone is not known (never seen on a shelf before it left). */
export const UNKNOWN_ZONE = "(unknown)";

/** How many breaches the report lists, newest first. */
export const FIFO_EXAMPLES = 50;

/** Percent of units out that were breaches, two decimals; 0 with none out. */
const rate = (breaches: number, out: number) => (out === 0 ? 0 : round((100 * breaches) / out, 2));

/**
 * FIFO discipline, which only RFID can measure: units that left while a
 * unit of the same product from an earlier delivery (received before under
 * another order, or on an earlier UTC day) stayed on site after their
 * shipment: the picker took a newer one. The units of one delivery are the
 * same age, and a unit that leaves with the same order is not left behind.
 * Counted per product and per zone the unit was picked from, with the
 * newest breaches as examples. Rows by breaches descending.
 */
export function fifoDiscipline(
  book: ValuationBook,
  range: { from?: string; to?: string },
  names: Names,
): FifoDisciplineView {
  const bySku = new Map<string, { out: number; breaches: number }>();
  const byZone = new Map<string, { out: number; breaches: number }>();
  const breaches: FifoDisciplineView["examples"] = [];
  const count = (map: Map<string, { out: number; breaches: number }>, key: string, b: boolean) => {
    let figures = map.get(key);
    if (!figures) {
      figures = { out: 0, breaches: 0 };
      map.set(key, figures);
    }
    figures.out++;
    if (b) figures.breaches++;
  };
  // Per product (each one's exits in time order, no sort across products); only each product's
  // newest breaches can be among the newest of all.
  for (const sku of book.skus()) {
    const found: FifoDisciplineView["examples"] = [];
    for (const exit of book.exits({ ...range, sku })) {
      const older = exit.olderOnSite;
      count(bySku, exit.sku, older !== null);
      count(byZone, exit.zone ?? UNKNOWN_ZONE, older !== null);
      if (older && exit.receivedAt) {
        found.push({
          epc: exit.epc,
          sku: exit.sku,
          at: exit.at,
          zone: exit.zone,
          receivedAt: exit.receivedAt,
          olderEpc: older.epc,
          olderReceivedAt: older.receivedAt,
        });
      }
    }
    breaches.push(...found.slice(-FIFO_EXAMPLES));
  }
  const order = <T extends { breaches: number; out: number }>(
    a: T & { k: string },
    b: T & { k: string },
  ) => b.breaches - a.breaches || b.out - a.out || (a.k < b.k ? -1 : 1);
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    bySku: [...bySku]
      .map(([k, f]) => ({ k, ...f }))
      .sort(order)
      .map(({ k, out, breaches: b }) => ({
        sku: k,
        name: names(k),
        out,
        breaches: b,
        rate: rate(b, out),
      })),
    byZone: [...byZone]
      .map(([k, f]) => ({ k, ...f }))
      .sort(order)
      .map(({ k, out, breaches: b }) => ({ zone: k, out, breaches: b, rate: rate(b, out) })),
    examples: breaches
      .map((example) => ({ example, ms: Date.parse(example.at) }))
      .sort((a, b) => b.ms - a.ms || (a.example.epc < b.example.epc ? -1 : 1))
      .slice(0, FIFO_EXAMPLES)
      .map(({ example }) => example),
  };
}

/**
 * FIFO discipline as CSV: one line per product then one per zone (`scope`
 * says which), so one file holds both counts.
 */
export function fifoDisciplineCsv(report: FifoDisciplineView): string {
  let out = csvLine(["scope", "sku", "name", "zone", "out", "breaches", "rate_percent"]);
  for (const row of report.bySku) {
    out += csvLine(["sku", row.sku, row.name, "", row.out, row.breaches, row.rate]);
  }
  for (const row of report.byZone) {
    out += csvLine(["zone", "", "", row.zone, row.out, row.breaches, row.rate]);
  }
  return out;
}

import { describe, expect, it } from "vitest";
import { createBook } from "../valuation/engine.js";
import { bucketOf, dwellReport, oldestUnitsCsv } from "./dwell.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-05-01T00:00:00.000Z");
const at = (days: number) => new Date(T0 + days * DAY).toISOString();

/** Units in at a day (fractions allowed) and out at another, from a zone. */
function site() {
  const book = createBook({ catalogCost: () => 100 });
  let seq = 0;
  const apply = (
    epc: string,
    sku: string,
    kind: "receive" | "putaway" | "ship",
    day: number,
    from: string | null,
    to: string | null,
  ) => book.apply({ chain: "n1", seq: ++seq, epc, sku, kind, from, to, at: at(day), order: null });
  return { book, apply };
}

describe("dwell", () => {
  it("bucket edges: a unit that stayed exactly 1, 7, 30 or 90 days is in the next bucket", () => {
    expect([0, 0.99, 1, 6.99, 7, 29.9, 30, 89, 90, 400].map(bucketOf)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
  });

  it("histogram of the units that left in the range; the oldest on site, oldest first", () => {
    const { book, apply } = site();
    const stays: [string, number][] = [
      ["U0", 0.5],
      ["U1", 1],
      ["U2", 3],
      ["U3", 7],
      ["U4", 45],
      ["U5", 100],
    ];
    for (const [epc] of stays) apply(epc, "TEA", "receive", 0, null, "dock");
    for (const [epc, days] of stays) apply(epc, "TEA", "ship", days, "dock", null);
    apply("OLD", "TEA", "receive", 1, null, "dock");
    apply("MUG-1", "MUG", "receive", 2, null, "dock");
    apply("MUG-1", "MUG", "putaway", 2.5, "dock", "shelf-b");
    apply("NEW", "TEA", "receive", 10, null, "dock");
    const now = new Date(at(120));
    const names = (sku: string) => `${sku} name`;

    const all = dwellReport(book, { limit: 50 }, names, now);
    expect(all.buckets).toEqual([
      { label: "0-1", fromDays: 0, toDays: 1, count: 1 },
      { label: "1-7", fromDays: 1, toDays: 7, count: 2 },
      { label: "7-30", fromDays: 7, toDays: 30, count: 1 },
      { label: "30-90", fromDays: 30, toDays: 90, count: 1 },
      { label: "90+", fromDays: 90, toDays: null, count: 1 },
    ]);
    expect(all.oldest).toEqual([
      { epc: "OLD", sku: "TEA", name: "TEA name", zone: "dock", receivedAt: at(1), ageDays: 119 },
      {
        epc: "MUG-1",
        sku: "MUG",
        name: "MUG name",
        zone: "shelf-b",
        receivedAt: at(2),
        ageDays: 118,
      },
      { epc: "NEW", sku: "TEA", name: "TEA name", zone: "dock", receivedAt: at(10), ageDays: 110 },
    ]);

    // Exits from day 2 to day 50 only, the two oldest of tea only.
    const some = dwellReport(book, { sku: "TEA", from: at(2), to: at(50), limit: 1 }, names, now);
    expect(some.buckets.map((b) => b.count)).toEqual([0, 1, 1, 1, 0]);
    expect(some.oldest.map((u) => u.epc)).toEqual(["OLD"]);
    expect(oldestUnitsCsv(some)).toBe(
      `epc,sku,name,zone,received_at,age_days\r\nOLD,TEA,TEA name,dock,${at(1)},119\r\n`,
    );
  });
});

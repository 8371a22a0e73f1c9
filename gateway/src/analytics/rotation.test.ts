import type { MovementKind } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { layerKey } from "../valuation/book.js";
import { createBook } from "../valuation/engine.js";
import { dwellStats, lastDays, periodDays, rotationCsv, rotationReport } from "./rotation.js";

const catalog: Record<string, number> = { TEA: 500, MUG: 300, JAM: 200 };
const names = (sku: string) => (sku === "TEA" ? "Green tea" : sku);

function site() {
  const book = createBook({ catalogCost: (sku) => catalog[sku] ?? 0 });
  let seq = 0;
  const move = (
    epc: string,
    sku: string,
    kind: MovementKind,
    at: string,
    order: string | null = null,
    zone = "shelf-a",
  ) =>
    book.apply({
      chain: "n1",
      seq: ++seq,
      epc,
      sku,
      kind,
      from: kind === "receive" ? null : zone,
      to: kind === "receive" ? zone : null,
      at,
      order,
    });
  return { book, move };
}

/**
 * Tea: A and B (PO-1, 4.00) on 1 March, C (PO-2, 6.00) on 3 March; C ships
 * on 5 March while A is older (a FIFO breach), A on 6 March. Mug: received
 * and one shipped in February, one left on site (catalog 3.00, provisional).
 * Jam: in and out in February, nothing since.
 */
function march() {
  const s = site();
  s.move("JAM-1", "JAM", "receive", "2026-02-01T08:00:00.000Z");
  s.move("MUG-1", "MUG", "receive", "2026-02-01T08:00:00.000Z");
  s.move("MUG-2", "MUG", "receive", "2026-02-01T08:00:01.000Z");
  s.move("JAM-1", "JAM", "ship", "2026-02-05T08:00:00.000Z", "SO-0");
  s.move("MUG-1", "MUG", "ship", "2026-02-10T08:00:00.000Z", "SO-1");
  s.move("A", "TEA", "receive", "2026-03-01T08:00:00.000Z", "PO-1");
  s.move("B", "TEA", "receive", "2026-03-01T08:00:01.000Z", "PO-1");
  s.move("C", "TEA", "receive", "2026-03-03T08:00:00.000Z", "PO-2");
  s.move("C", "TEA", "ship", "2026-03-05T08:00:00.000Z", "SO-2");
  s.move("A", "TEA", "ship", "2026-03-06T08:00:00.000Z", "SO-3");
  s.book.setCost(layerKey("TEA", "PO-1"), { unitCost: 400, provisional: false, invoice: "F-1" });
  s.book.setCost(layerKey("TEA", "PO-2"), { unitCost: 600, provisional: false, invoice: "F-2" });
  return s;
}

const MARCH = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-10T23:59:59.999Z" };
const NOW = new Date("2026-03-11T08:00:01.000Z");

describe("rotation: turnover, days of stock and what RFID adds", () => {
  it("COGS over the mean of the daily closing values, dwell, age, breaches, last exit", () => {
    const report = rotationReport(march().book, MARCH, "fifo", names, NOW, "EUR");
    expect(report).toMatchObject({ ...MARCH, days: 10, currency: "EUR" });
    expect(report.rows).toEqual([
      {
        sku: "TEA",
        name: "Green tea",
        // Two units at FIFO: both from PO-1 (4.00), though C (6.00) was the one that left first.
        cogs: 800,
        // Closing values 8.00, 8.00, 14.00, 14.00, 10.00, then 6.00 for five days: 84.00 / 10.
        averageValue: 840,
        turnover: 0.95,
        // 10 days × 840 / 800, from the exact ratio (10 / 0.95 would say 10.5 too, by luck: not relied on).
        daysOfStock: 10.5,
        unitsOut: 2,
        dwellDays: { mean: 3.5, median: 3.5, max: 5 },
        onSite: 1,
        oldestAgeDays: 10,
        fifoBreaches: 1,
        lastOut: "2026-03-06T08:00:00.000Z",
      },
      {
        sku: "MUG",
        name: "MUG",
        cogs: 0,
        averageValue: 300,
        // Stock that did not move: turnover 0, days of stock unknown rather than infinite.
        turnover: 0,
        daysOfStock: null,
        unitsOut: 0,
        dwellDays: null,
        onSite: 1,
        oldestAgeDays: 38,
        fifoBreaches: 0,
        lastOut: "2026-02-10T08:00:00.000Z",
      },
    ]);
  });

  it("a period with no stock at all gives null turnover; the average method is the book's", () => {
    const { book } = march();
    const january = { from: "2026-01-01T00:00:00.000Z", to: "2026-01-31T23:59:59.999Z" };
    expect(rotationReport(book, january, "fifo", names, NOW, "EUR").rows).toMatchObject([
      // Nothing moved: by SKU.
      { sku: "MUG", turnover: null, daysOfStock: null, averageValue: 0, lastOut: null },
      { sku: "TEA", turnover: null, daysOfStock: null, cogs: 0, averageValue: 0, onSite: 1 },
    ]);
    const average = rotationReport(book, MARCH, "average", names, NOW, "EUR");
    // The weighted average of 4.00, 4.00, 6.00 is 4.67 when C leaves: not FIFO's 8.00 for two.
    expect(average.rows[0]?.cogs).not.toBe(800);
    expect(average.rows[0]?.cogs).toBe(book.cogs(MARCH, "average").get("TEA")?.cogs);
  });

  it("a revalued layer changes COGS and the average at once", () => {
    const { book } = march();
    book.setCost(layerKey("TEA", "PO-1"), { unitCost: 450, provisional: false, invoice: "F-1b" });
    const [tea] = rotationReport(book, MARCH, "fifo", names, NOW, "EUR").rows;
    expect(tea).toMatchObject({ cogs: 900, averageValue: 885 });
  });

  it("the CSV has one line per product, amounts as decimals", () => {
    const csv = rotationCsv(rotationReport(march().book, MARCH, "fifo", names, NOW, "EUR"));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^sku,name,cogs,average_value,turnover,days_of_stock,/);
    expect(lines[1]).toMatch(
      /^TEA,Green tea,8\.00,8\.40,0\.95,10\.5,2,3\.5,3\.5,5,1,10,1,2026-03-06T08:00:00\.000Z,EUR,/,
    );
  });
});

describe("rotation helpers", () => {
  it("the default period is exactly N UTC days, today included", () => {
    const period = lastDays(new Date("2026-03-31T15:00:00.000Z"), 30);
    expect(period).toEqual({ from: "2026-03-02T00:00:00.000Z", to: "2026-03-31T15:00:00.000Z" });
    expect(periodDays(period)).toEqual({ first: "2026-03-02", last: "2026-03-31", days: 30 });
  });

  it("dwell statistics: median of an even count is the mean of the middle two", () => {
    expect(dwellStats([])).toBeNull();
    expect(dwellStats([10, 1, 4])).toEqual({ mean: 5, median: 4, max: 10 });
    expect(dwellStats([1, 2, 3, 10])).toEqual({ mean: 4, median: 2.5, max: 10 });
  });
});

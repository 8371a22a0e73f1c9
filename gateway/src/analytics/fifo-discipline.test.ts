import { describe, expect, it } from "vitest";
import { createBook } from "../valuation/engine.js";
import { fifoDiscipline, fifoDisciplineCsv } from "./fifo-discipline.js";

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

describe("FIFO discipline", () => {
  it("per product and per zone picked from, rate in percent, newest breaches first", () => {
    const { book, apply } = site();
    apply("A", "TEA", "receive", 0, null, "dock");
    apply("A", "TEA", "putaway", 0.1, "dock", "shelf-a");
    apply("B", "TEA", "receive", 1, null, "dock");
    apply("B", "TEA", "putaway", 1.1, "dock", "shelf-b");
    apply("C", "TEA", "receive", 2, null, "dock");
    apply("M", "MUG", "receive", 2, null, "dock");
    // B from shelf-b while A (older) is on shelf-a: a breach; then C from the dock while A is still here.
    apply("B", "TEA", "ship", 3, "shelf-b", null);
    apply("C", "TEA", "ship", 4, "dock", null);
    apply("A", "TEA", "ship", 5, "shelf-a", null);
    apply("M", "MUG", "ship", 6, "dock", null);

    const report = fifoDiscipline(book, {}, (sku) => sku.toLowerCase());
    expect(report.bySku).toEqual([
      { sku: "TEA", name: "tea", out: 3, breaches: 2, rate: 66.67 },
      { sku: "MUG", name: "mug", out: 1, breaches: 0, rate: 0 },
    ]);
    expect(report.byZone).toEqual([
      { zone: "dock", out: 2, breaches: 1, rate: 50 },
      { zone: "shelf-b", out: 1, breaches: 1, rate: 100 },
      { zone: "shelf-a", out: 1, breaches: 0, rate: 0 },
    ]);
    expect(report.examples).toEqual([
      {
        epc: "C",
        sku: "TEA",
        at: at(4),
        zone: "dock",
        receivedAt: at(2),
        olderEpc: "A",
        olderReceivedAt: at(0),
      },
      {
        epc: "B",
        sku: "TEA",
        at: at(3),
        zone: "shelf-b",
        receivedAt: at(1),
        olderEpc: "A",
        olderReceivedAt: at(0),
      },
    ]);
    expect(fifoDiscipline(book, { from: at(3.5) }, (s) => s).bySku[0]).toMatchObject({
      sku: "TEA",
      out: 2,
      breaches: 1,
    });
    expect(fifoDisciplineCsv(report).split("\r\n").slice(0, 3)).toEqual([
      "scope,sku,name,zone,out,breaches,rate_percent",
      "sku,TEA,tea,,3,2,66.67",
      "sku,MUG,mug,,1,0,0",
    ]);
  });
});

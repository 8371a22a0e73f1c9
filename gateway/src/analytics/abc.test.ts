import { describe, expect, it } from "vitest";
import { createBook } from "../valuation/engine.js";
import { abcCsv, abcReport, classify } from "./abc.js";

const T = { a: 80, b: 95 };
const classes = (values: Record<string, number>, thresholds = T) =>
  Object.fromEntries(
    classify(
      Object.entries(values).map(([sku, value]) => ({ sku, value })),
      thresholds,
    ).map((row) => [row.sku, row.class]),
  );

describe("ABC: the exact rule at the thresholds", () => {
  it("a product that ends exactly on a is A; the next one is B", () => {
    expect(classes({ P1: 50, P2: 30, P3: 15, P4: 5 })).toEqual({
      P1: "A",
      P2: "A",
      P3: "B",
      P4: "C",
    });
  });

  it("the product that crosses a is still A, the one that crosses b still B", () => {
    // 70 (70 %), 20 crosses 80 → A; 6 crosses 95 (90 → 96) → B; 4 → C.
    expect(classes({ P1: 70, P2: 20, P3: 6, P4: 4 })).toEqual({
      P1: "A",
      P2: "A",
      P3: "B",
      P4: "C",
    });
  });

  it("one product holding everything is A; products with no consumption are C", () => {
    expect(classes({ P1: 100, P2: 0, P3: 0 })).toEqual({ P1: "A", P2: "C", P3: "C" });
    expect(classes({ P1: 0, P2: 0 })).toEqual({ P1: "C", P2: "C" });
  });

  it("ties fall by SKU, and no rounding of the shares moves a product", () => {
    // Three thirds: 33.33 %, 66.67 %, 100 %: the third starts at 66.67 % < 80 → A.
    expect(classes({ Z: 1, Y: 1, X: 1 })).toEqual({ X: "A", Y: "A", Z: "A" });
    // 1/3 each with a = 66.67: before = 2/3 exactly (66.666…%) < 66.67 → A.
    expect(classes({ Z: 1, Y: 1, X: 1 }, { a: 66.67, b: 90 })).toEqual({
      X: "A",
      Y: "A",
      Z: "A",
    });
    // With a = 66.66 the third starts past a: B.
    expect(classes({ Z: 1, Y: 1, X: 1 }, { a: 66.66, b: 90 })).toEqual({
      X: "A",
      Y: "A",
      Z: "B",
    });
  });

  it("shares and cumulative shares in percent, two decimals, by value descending", () => {
    expect(
      classify(
        [
          { sku: "S", value: 1 },
          { sku: "L", value: 2 },
        ],
        T,
      ),
    ).toEqual([
      { sku: "L", value: 2, share: 66.67, cumulative: 66.67, class: "A" },
      { sku: "S", value: 1, share: 33.33, cumulative: 100, class: "A" },
    ]);
  });
});

describe("ABC report from the book", () => {
  it("COGS over the period by the method, every product seen, previous classes given", () => {
    const book = createBook({ catalogCost: (sku) => ({ TEA: 1000, MUG: 100, JAM: 50 })[sku] ?? 0 });
    let seq = 0;
    const move = (epc: string, sku: string, kind: "receive" | "ship", at: string) =>
      book.apply({
        chain: "n1",
        seq: ++seq,
        epc,
        sku,
        kind,
        from: kind === "receive" ? null : "shelf",
        to: kind === "receive" ? "shelf" : null,
        at,
        order: null,
      });
    for (const [epc, sku] of [
      ["T1", "TEA"],
      ["T2", "TEA"],
      ["M1", "MUG"],
      ["J1", "JAM"],
    ] as const) {
      move(epc, sku, "receive", "2026-01-02T08:00:00.000Z");
    }
    move("T1", "TEA", "ship", "2026-01-10T08:00:00.000Z");
    move("M1", "MUG", "ship", "2026-01-11T08:00:00.000Z");
    // Out of the period: not counted.
    move("T2", "TEA", "ship", "2026-02-10T08:00:00.000Z");
    const report = abcReport(
      book,
      { from: "2026-01-01T00:00:00.000Z", to: "2026-01-31T23:59:59.999Z" },
      T,
      (sku) => `name of ${sku}`,
      { method: "fifo", currency: "EUR", previous: new Map([["TEA", "B"]]) },
    );
    expect(report.rows).toEqual([
      // 1000 / 1100 = 90.91 %: crosses 80 → A.
      {
        sku: "TEA",
        name: "name of TEA",
        value: 1000,
        share: 90.91,
        cumulative: 90.91,
        class: "A",
        previous: "B",
      },
      // Starts at 90.91 % < 95 → B.
      {
        sku: "MUG",
        name: "name of MUG",
        value: 100,
        share: 9.09,
        cumulative: 100,
        class: "B",
        previous: null,
      },
      {
        sku: "JAM",
        name: "name of JAM",
        value: 0,
        share: 0,
        cumulative: 100,
        class: "C",
        previous: null,
      },
    ]);
    expect(report).toMatchObject({ thresholds: T, currency: "EUR", runAt: null });
    expect(abcCsv(report).split("\r\n")[1]).toBe(
      "TEA,name of TEA,10.00,90.91,90.91,A,B,EUR,2026-01-01T00:00:00.000Z,2026-01-31T23:59:59.999Z",
    );
  });
});

import type { MarginFloors, MovementKind } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { floorOf } from "../analytics/margin-floors.js";
import { layerKey } from "./book.js";
import { createBook } from "./engine.js";
import { costLines, marginFigures, marginList, marginRows } from "./margins.js";
import type { MarginLine } from "./margins-sources.js";

/**
 * The drill: 3 received under PO-1 (invoiced at 82.00), then 2 under PO-2
 * (no invoice yet: catalog cost 50.00, provisional). SO-1 ships 2 (FIFO:
 * both from PO-1), SO-2 ships 2 (the last of PO-1, then one of PO-2), the
 * counter sells 1 in sale S-1 (PO-2).
 */
function site() {
  const book = createBook({ catalogCost: (sku) => (sku === "DRL-18V" ? 5000 : 0) });
  let seq = 0;
  let tag = 0;
  const move = (kind: MovementKind, at: string, order: string | null, count = 1) => {
    for (let i = 0; i < count; i++) {
      const epc = kind === "receive" ? `E${++tag}` : `E${++seq}`;
      book.apply({
        chain: "n1",
        seq: 1000 + tag + seq,
        epc,
        sku: "DRL-18V",
        kind,
        from: kind === "receive" ? null : "dock",
        to: kind === "receive" ? "dock" : null,
        at: `2026-03-${at}Z`,
        order,
      });
    }
  };
  move("receive", "01T08:00:00", "PO-1", 3);
  move("receive", "02T08:00:00", "PO-2", 2);
  book.setCost(layerKey("DRL-18V", "PO-1"), { unitCost: 8200, provisional: false, invoice: "F-1" });
  move("ship", "03T10:00:00", "SO-1", 2);
  move("ship", "04T10:00:00", "SO-2", 2);
  move("sale", "05T10:00:00", "S-1", 1);
  return book;
}

function line(partial: Partial<MarginLine> & Pick<MarginLine, "document" | "line">): MarginLine {
  return {
    source: "invoice",
    position: Number(partial.line),
    order: null,
    customer: "bistro",
    sku: "DRL-18V",
    given: "DRL-18V",
    category: "power-tools",
    name: "Drill 18 V",
    date: "2026-03-06",
    quantity: 1,
    revenue: 10_000,
    selected: true,
    ref: 1,
    ...partial,
  };
}

const noFloors: MarginFloors = { default: null, categories: {}, products: {} };

describe("margins: a line's COGS from the units that left for its order", () => {
  it("two lines of one order billing the same product share its exits in line order; beyond them, the next unit's cost, estimated", () => {
    const book = site();
    const lines = [
      line({ document: "INV-1", line: "1", order: "SO-1", revenue: 8000 }),
      line({ document: "INV-1", line: "2", order: "SO-1", revenue: 10_000 }),
      // A second invoice of SO-1: both its units were billed already, so the next unit's cost: none is left on site, the catalog's, provisional.
      line({ document: "INV-2", line: "1", order: "SO-1", revenue: 12_000 }),
    ];
    expect(costLines(lines, book, "fifo")).toEqual([
      { cogs: 8200, estimated: false, provisional: false },
      { cogs: 8200, estimated: false, provisional: false },
      { cogs: 5000, estimated: true, provisional: true },
    ]);
  });

  it("a line whose units came from an invoiced and a provisional layer is provisional, at the sum of both", () => {
    const book = site();
    const [cost] = costLines(
      [line({ document: "INV-3", line: "1", order: "SO-2", quantity: 2, revenue: 20_000 })],
      book,
      "fifo",
    );
    expect(cost).toEqual({ cogs: 8200 + 5000, estimated: false, provisional: true });
    // The supplier invoice of PO-2 lands: the same line is revalued, no longer provisional.
    book.setCost(layerKey("DRL-18V", "PO-2"), {
      unitCost: 7900,
      provisional: false,
      invoice: "F-2",
    });
    const [after] = costLines(
      [line({ document: "INV-3", line: "1", order: "SO-2", quantity: 2, revenue: 20_000 })],
      book,
      "fifo",
    );
    expect(after).toEqual({ cogs: 8200 + 7900, estimated: false, provisional: false });
  });

  it("a counter sale takes its own sale's units, never a shipment's of an order with the same name", () => {
    const book = site();
    const sale = line({ source: "sale", document: "S-1", line: "1", order: "S-1" });
    const shippedAsS1 = line({ document: "INV-9", line: "1", order: "S-1" });
    expect(costLines([sale, shippedAsS1], book, "fifo")).toEqual([
      { cogs: 5000, estimated: false, provisional: true },
      // No shipment left for an order "S-1": estimated at the next unit's cost.
      { cogs: 5000, estimated: true, provisional: true },
    ]);
  });

  it("by weighted average, each unit at the average at the instant it left", () => {
    const book = site();
    const [cost] = costLines(
      [line({ document: "INV-1", line: "1", order: "SO-1", quantity: 2 })],
      book,
      "average",
    );
    // On 3 March the drill's stock is 3 × 82.00 + 2 × 50.00: average 69.20 a unit.
    expect(cost?.cogs).toBe(2 * 6920);
  });

  it("an unknown product has no cost; a line with no order or a negative quantity is estimated; a fractional one takes a share of its last unit", () => {
    const book = site();
    const costs = costLines(
      [
        line({ document: "INV-4", line: "1", sku: null, given: "MYSTERY" }),
        line({ document: "INV-4", line: "2", order: null, quantity: 3 }),
        line({ document: "INV-4", line: "3", order: "SO-1", quantity: 1.5 }),
        line({ document: "INV-4", line: "4", order: "SO-2", quantity: -1 }),
      ],
      book,
      "fifo",
    );
    expect(costs).toEqual([
      { cogs: null, estimated: false, provisional: false },
      { cogs: 3 * 5000, estimated: true, provisional: true },
      // SO-1's first unit, and half its second (goods by weight take a share of their last unit).
      { cogs: 8200 + 4100, estimated: false, provisional: false },
      { cogs: -5000, estimated: true, provisional: true },
    ]);
  });
  it("a product billed under many orders is costed the same as under a few (the book read once for it)", () => {
    const book = createBook({ catalogCost: () => 100 });
    const orders = ["SO-a", "SO-b", "SO-c", "SO-d", "SO-e", "SO-f"];
    orders.forEach((order, index) => {
      const at = `2026-03-0${index + 1}T08:00:00.000Z`;
      const epc = `U${index}`;
      const base = { chain: "n1", epc, sku: "TEA", from: null, to: "dock", at };
      book.apply({ ...base, seq: index * 2 + 1, kind: "receive", order: `PO-${index}` });
      book.setCost(layerKey("TEA", `PO-${index}`), {
        unitCost: 1000 + index,
        provisional: false,
        invoice: `F-${index}`,
      });
      const out = { ...base, from: "dock", to: null, at: at.replace("08:", "09:") };
      book.apply({ ...out, seq: index * 2 + 2, kind: index === 5 ? "sale" : "ship", order });
    });
    const lines = orders.map((order, index) =>
      line({
        source: index === 5 ? "sale" : "invoice",
        document: `D-${index}`,
        line: "1",
        order,
        sku: "TEA",
      }),
    );
    const many = costLines(lines, book, "fifo").map((cost) => cost.cogs);
    const few = lines.map((one) => costLines([one], book, "fifo")[0]?.cogs);
    expect(many).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(few).toEqual(many);
  });
});

describe("margins: rate, floor and flag", () => {
  it("flags under cost, then under the floor on the exact figures, else ok", () => {
    expect(marginFigures(8000, 8200, 20)).toEqual({ margin: -200, rate: -2.5, flag: "below-cost" });
    expect(marginFigures(10_000, 8200, 20)).toEqual({
      margin: 1800,
      rate: 18,
      flag: "below-margin",
    });
    // 19.96 % shows as 20 % but is under a 20 % floor.
    expect(marginFigures(10_000, 8004, 20)).toEqual({
      margin: 1996,
      rate: 20,
      flag: "below-margin",
    });
    expect(marginFigures(10_000, 8000, 20)).toEqual({ margin: 2000, rate: 20, flag: "ok" });
    expect(marginFigures(10_000, 9000, null)).toEqual({ margin: 1000, rate: 10, flag: "ok" });
    expect(marginFigures(0, 100, 10)).toEqual({ margin: -100, rate: null, flag: "below-cost" });
    expect(marginFigures(10_000, null, 20)).toEqual({ margin: null, rate: null, flag: "ok" });
  });

  it("a product's floor wins over its category's, which wins over the default", () => {
    const floors: MarginFloors = {
      default: 10,
      categories: { "power-tools": 25 },
      products: { "DRL-18V": 15 },
    };
    expect(floorOf(floors, "DRL-18V", "power-tools")).toBe(15);
    expect(floorOf(floors, "SAW-1", "power-tools")).toBe(25);
    expect(floorOf(floors, "SAW-1", "garden")).toBe(10);
    expect(floorOf(floors, "SAW-1", null)).toBe(10);
    expect(floorOf({ ...floors, default: null }, "NUT", null)).toBeNull();
  });

  it("rows carry the floor in force and their flag; the totals add the rows with a cost only", () => {
    const book = site();
    const floors: MarginFloors = { default: null, categories: { "power-tools": 20 }, products: {} };
    const rows = marginRows(
      [
        line({ document: "INV-1", line: "1", order: "SO-1", revenue: 8000 }),
        line({ document: "INV-1", line: "2", order: "SO-1", revenue: 10_000 }),
        line({ document: "INV-1", line: "3", sku: null, given: "MYSTERY", revenue: 500 }),
        // Read only to share SO-1's exits: not a row.
        line({ document: "INV-0", line: "1", order: "SO-2", selected: false }),
      ],
      book,
      "fifo",
      floors,
    ).map(({ row }) => row);
    expect(
      rows.map((row) => [row.line, row.sku, row.cogs, row.margin, row.floor, row.flag]),
    ).toEqual([
      ["1", "DRL-18V", 8200, -200, 20, "below-cost"],
      ["2", "DRL-18V", 8200, 1800, 20, "below-margin"],
      ["3", "MYSTERY", null, null, null, "ok"],
    ]);
    const list = marginList([...rows].reverse(), "fifo", "EUR");
    expect(list.rows.map((row) => row.line)).toEqual(["1", "2", "3"]);
    expect(list.totals).toEqual({ revenue: 18_000, cogs: 16_400, margin: 1600, rate: 8.9 });
    expect(list.uncosted).toEqual({ rows: 1, revenue: 500 });
    expect(
      marginRows([line({ document: "X", line: "1" })], book, "fifo", noFloors)[0]?.row.floor,
    ).toBeNull();
  });
});

import type { MovementKind } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { layerKey, type UnitMovement, unreceivedKey, type ValuationBook } from "./book.js";
import { createBook } from "./engine.js";

const catalog: Record<string, number> = { TEA: 500, MUG: 300 };

function scenario() {
  const book = createBook({ catalogCost: (sku) => catalog[sku] ?? 0 });
  let seq = 0;
  const move = (
    epc: string,
    kind: MovementKind,
    from: string | null,
    to: string | null,
    at: string,
    order: string | null = null,
    sku = "TEA",
  ) => {
    const movement: UnitMovement = {
      chain: "n1",
      seq: ++seq,
      epc,
      sku,
      kind,
      from,
      to,
      at: `2026-03-${at}Z`,
      order,
    };
    book.apply(movement);
  };
  return { book, move };
}

/** Two deliveries of tea: PO-1 (2 units, 1 March), PO-2 (2 units, 2 March). */
function twoDeliveries() {
  const s = scenario();
  s.move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
  s.move("B", "receive", null, "dock", "01T08:00:01", "PO-1");
  s.move("C", "receive", null, "dock", "02T08:00:00", "PO-2");
  s.move("D", "receive", null, "dock", "02T08:00:01", "PO-2");
  s.book.setCost(layerKey("TEA", "PO-1"), { unitCost: 400, provisional: false, invoice: "F-1" });
  s.book.setCost(layerKey("TEA", "PO-2"), { unitCost: 600, provisional: false, invoice: "F-2" });
  return s;
}

function remaining(book: ValuationBook) {
  return book.layers("TEA").map((l) => [l.order, l.quantity, l.remaining]);
}

describe("valuation engine: FIFO layers from one-unit movements", () => {
  it("a shipment of the newest unit draws the oldest layer, and reports the older unit left behind", () => {
    const { book, move } = twoDeliveries();
    move("D", "ship", "dock", null, "03T10:00:00", "SO-9");
    expect(remaining(book)).toEqual([
      ["PO-1", 2, 1],
      ["PO-2", 2, 2],
    ]);
    const [exit] = book.exits();
    expect(exit).toMatchObject({
      epc: "D",
      kind: "ship",
      order: "SO-9",
      fifoKey: layerKey("TEA", "PO-1"),
      actualKey: layerKey("TEA", "PO-2"),
      receivedAt: "2026-03-02T08:00:01Z",
      olderOnSite: { epc: "A", receivedAt: "2026-03-01T08:00:00Z" },
    });
    const cogs = book.cogs({}, "fifo").get("TEA");
    // FIFO says 4.00, the unit that left cost 6.00: picking strayed from oldest first.
    expect(cogs).toMatchObject({ quantity: 1, cogs: 400, fifoCost: 400, actualCost: 600 });
    expect(book.value(undefined, "fifo").get("TEA")).toMatchObject({
      quantity: 3,
      value: 400 + 600 + 600,
      actualValue: 400 + 400 + 600,
    });
  });

  it("the oldest unit leaving has nothing older on site", () => {
    const { book, move } = twoDeliveries();
    move("A", "sale", "dock", null, "03T10:00:00", "S-1");
    expect(book.exits()[0]?.olderOnSite).toBeNull();
    expect(book.exits()[0]?.kind).toBe("sale");
  });

  it("FIFO discipline goes by delivery: a unit of the same delivery taken first is no breach", () => {
    const { book, move } = twoDeliveries();
    // B came in a second after A, under the same order: picking it first strays from nothing.
    move("B", "ship", "dock", null, "03T10:00:00", "SO-9");
    expect(book.exits()[0]?.olderOnSite).toBeNull();
    // D, of the next day's delivery, leaves while A (1 March) is still here: a breach.
    move("D", "ship", "dock", null, "03T10:00:01", "SO-9");
    expect(book.exits()[1]?.olderOnSite).toEqual({ epc: "A", receivedAt: "2026-03-01T08:00:00Z" });
  });

  it("FIFO discipline: another order received an hour before is an earlier delivery; the same order the next day too", () => {
    const { book, move } = scenario();
    move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
    move("B", "receive", null, "dock", "01T09:00:00", "PO-2");
    move("C", "receive", null, "dock", "02T08:00:00", "PO-2");
    move("B", "ship", "dock", null, "02T10:00:00", "SO-1");
    expect(book.exits()[0]?.olderOnSite?.epc).toBe("A");
    move("A", "ship", "dock", null, "02T10:00:01", "SO-1");
    expect(book.exits()[1]?.olderOnSite).toBeNull();
    move("D", "receive", null, "dock", "03T08:00:00", "PO-2");
    move("D", "ship", "dock", null, "03T10:00:00", "SO-2");
    // C, of PO-2's delivery on 2 March, is still here when D of its 3 March delivery leaves.
    expect(book.exits()[2]?.olderOnSite?.epc).toBe("C");
  });

  it("FIFO discipline by shipment: an older unit that leaves with the same order is not left behind, whatever order the portal read them in", () => {
    const { book, move } = scenario();
    move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
    move("B", "receive", null, "dock", "02T08:00:00", "PO-2");
    move("C", "receive", null, "dock", "03T08:00:00", "PO-3");
    // SO-1 takes B then A: when B passes the portal A is still inside, but A follows it.
    move("B", "ship", "dock", null, "04T10:00:00", "SO-1");
    expect(book.exits()[0]?.olderOnSite?.epc).toBe("A");
    move("A", "ship", "dock", null, "04T10:00:01", "SO-1");
    expect(book.exits().map((exit) => exit.olderOnSite)).toEqual([null, null]);
    // SO-2 takes D, of a newer delivery, while C is on the shelf.
    move("D", "receive", null, "dock", "05T08:00:00", "PO-4");
    move("D", "ship", "dock", null, "05T10:00:00", "SO-2");
    expect(book.exits()[2]?.olderOnSite?.epc).toBe("C");
    // Another order's exit ends SO-2's shipment: C stayed behind, D's breach stands.
    move("C", "ship", "dock", null, "05T11:00:00", "SO-3");
    expect(book.exits()[2]?.olderOnSite?.epc).toBe("C");
    expect(book.exits()[3]?.olderOnSite).toBeNull();
  });

  it("a layer is provisional at the catalog cost until its invoice, which revalues what was drawn", () => {
    const { book, move } = scenario();
    move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
    move("B", "receive", null, "dock", "01T08:00:01", "PO-1");
    move("A", "ship", "dock", null, "02T08:00:00");
    expect(book.cogs({}, "fifo").get("TEA")).toMatchObject({ cogs: 500, provisional: 1 });
    expect(book.value(undefined, "fifo").get("TEA")).toMatchObject({
      value: 500,
      provisionalQuantity: 1,
      provisionalValue: 500,
    });
    book.setCost(layerKey("TEA", "PO-1"), { unitCost: 450, provisional: false, invoice: "F-1" });
    expect(book.cogs({}, "fifo").get("TEA")).toMatchObject({ cogs: 450, provisional: 0 });
    expect(book.cogs({ from: "2026-03-02T00:00:00Z" }, "fifo").get("TEA")?.cogs).toBe(450);
    expect(book.value(undefined, "fifo").get("TEA")).toMatchObject({
      value: 450,
      provisionalQuantity: 0,
    });
    expect(book.layers()[0]).toMatchObject({ remaining: 1 });
    expect(book.cost(layerKey("TEA", "PO-1"))).toEqual({
      unitCost: 450,
      provisional: false,
      invoice: "F-1",
    });
  });

  it("more units under an order whose layer ran out make that layer FIFO's next again", () => {
    const { book, move } = twoDeliveries();
    move("A", "ship", "dock", null, "03T10:00:00");
    move("B", "ship", "dock", null, "03T10:00:01");
    move("C", "ship", "dock", null, "03T10:00:02");
    // A second delivery under PO-1: its layer is older than PO-2's, so it goes first.
    move("E", "receive", null, "dock", "04T08:00:00", "PO-1");
    move("D", "ship", "dock", null, "05T10:00:00");
    expect(book.exits().map((e) => e.fifoKey)).toEqual([
      layerKey("TEA", "PO-1"),
      layerKey("TEA", "PO-1"),
      layerKey("TEA", "PO-2"),
      layerKey("TEA", "PO-1"),
    ]);
    expect(remaining(book)).toEqual([
      ["PO-1", 3, 0],
      ["PO-2", 2, 1],
    ]);
  });

  it("a unit that goes out without ever being seen arriving draws nothing and costs the catalog cost", () => {
    const { book, move } = twoDeliveries();
    move("Z", "ship", "dock", null, "03T10:00:00");
    expect(remaining(book)).toEqual([
      ["PO-1", 2, 2],
      ["PO-2", 2, 2],
    ]);
    expect(book.exits()[0]).toMatchObject({
      fifoKey: unreceivedKey("TEA"),
      actualKey: null,
      receivedAt: null,
    });
    expect(book.cogs({}, "fifo").get("TEA")).toMatchObject({
      cogs: 500,
      actualCost: 500,
      provisional: 1,
    });
    expect(book.cogs({}, "average").get("TEA")?.cogs).toBe(500);
  });

  it("a tag first seen on a shelf is a receipt with no order; a move of a unit on site only changes its zone", () => {
    const { book, move } = scenario();
    move("A", "putaway", null, "shelf-1", "01T08:00:00");
    move("A", "putaway", "shelf-1", "shelf-2", "01T09:00:00");
    expect(book.layers()).toEqual([
      {
        sku: "TEA",
        key: layerKey("TEA", null),
        order: null,
        receivedAt: "2026-03-01T08:00:00Z",
        quantity: 1,
        remaining: 1,
      },
    ]);
    expect(book.onSite()).toEqual([
      {
        epc: "A",
        sku: "TEA",
        zone: "shelf-2",
        receivedAt: "2026-03-01T08:00:00Z",
        key: layerKey("TEA", null),
      },
    ]);
    expect(book.value("2026-03-01T08:30:00Z", "fifo").get("TEA")?.zones).toEqual(
      new Map([["shelf-1", 1]]),
    );
  });

  it("an exit's zone is where the unit was picked from, not the dock it left by", () => {
    const { book, move } = twoDeliveries();
    move("A", "putaway", "dock", "shelf-7", "02T09:00:00");
    move("A", "pick", "shelf-7", "picked", "02T10:00:00");
    move("A", "receive", "picked", "dock", "02T10:05:00");
    move("A", "ship", "dock", null, "02T10:10:00");
    move("B", "ship", "dock", null, "02T10:11:00");
    expect(book.exits().map((e) => e.zone)).toEqual(["shelf-7", "dock"]);
  });

  it("average cost: each exit takes the pool's rounded average and the last unit the remainder", () => {
    const { book, move } = scenario();
    move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
    move("B", "receive", null, "dock", "01T08:00:01", "PO-2");
    move("C", "receive", null, "dock", "01T08:00:02", "PO-3");
    book.setCost(layerKey("TEA", "PO-1"), { unitCost: 100, provisional: false, invoice: "F" });
    book.setCost(layerKey("TEA", "PO-2"), { unitCost: 100, provisional: false, invoice: "F" });
    book.setCost(layerKey("TEA", "PO-3"), { unitCost: 101, provisional: false, invoice: "F" });
    move("A", "ship", "dock", null, "02T08:00:00");
    move("B", "ship", "dock", null, "02T08:00:01");
    move("C", "ship", "dock", null, "02T08:00:02");
    const costs = book.exits().map((exit) => book.exitCost(exit, "average"));
    // 301 / 3 = 100.33 → 100; 201 / 2 = 100.5 → 101; the last takes the 100 left.
    expect(costs).toEqual([100, 101, 100]);
    expect(book.cogs({}, "average").get("TEA")?.cogs).toBe(301);
    expect(book.value(undefined, "average").get("TEA")?.value).toBe(0);
    expect(book.value("2026-03-02T08:00:00Z", "average").get("TEA")?.value).toBe(201);
  });

  it("a movement older than the last of its product replays the product", () => {
    const { book, move } = scenario();
    move("A", "receive", null, "dock", "01T08:00:00", "PO-1");
    move("A", "ship", "dock", null, "03T08:00:00");
    // B arrived on the 2nd but its node synced late: FIFO still draws A's layer for A's exit.
    move("B", "receive", null, "dock", "02T08:00:00", "PO-2");
    expect(remaining(book)).toEqual([
      ["PO-1", 1, 0],
      ["PO-2", 1, 1],
    ]);
    // A late receipt of a unit before its own exit: the exit is no longer "never seen arriving".
    move("Z", "ship", "dock", null, "04T08:00:00");
    move("Z", "receive", null, "dock", "03T09:00:00", "PO-3");
    expect(book.exits().map((e) => [e.epc, e.fifoKey])).toEqual([
      ["A", layerKey("TEA", "PO-1")],
      ["Z", layerKey("TEA", "PO-2")],
    ]);
    expect(book.cogs({}, "fifo").get("TEA")?.quantity).toBe(2);
  });

  it("value by day: the value at the end of each UTC day", () => {
    const { book, move } = twoDeliveries();
    move("A", "ship", "dock", null, "03T10:00:00");
    expect(book.valueByDay("2026-02-28", "2026-03-04", "fifo").get("TEA")).toEqual([
      0, 800, 2000, 1600, 1600,
    ]);
    expect(book.quantityByDay("2026-02-28", "2026-03-04").get("TEA")).toEqual([0, 2, 4, 3, 3]);
  });

  it("next unit cost: the FIFO head's, else the catalog cost", () => {
    const { book, move } = twoDeliveries();
    expect(book.nextUnitCost("TEA")).toEqual({ unitCost: 400, provisional: false, invoice: "F-1" });
    move("A", "ship", "dock", null, "03T10:00:00");
    move("B", "ship", "dock", null, "03T10:00:01");
    expect(book.nextUnitCost("TEA").unitCost).toBe(600);
    expect(book.nextUnitCost("MUG")).toEqual({ unitCost: 300, provisional: true, invoice: null });
  });

  it("per product, the layers' remaining units are the units on site", () => {
    const { book, move } = twoDeliveries();
    move("B", "ship", "dock", null, "03T10:00:00");
    move("E", "adjust", null, "shelf-1", "03T11:00:00");
    move("C", "adjust", "dock", null, "03T12:00:00");
    const left = book.layers("TEA").reduce((sum, l) => sum + l.remaining, 0);
    expect(left).toBe(book.onSite("TEA").length);
    expect(left).toBe(3);
    expect(book.cogs({}, "fifo").get("TEA")?.byKind).toEqual({ ship: 1, sale: 0, adjust: 1 });
  });
});

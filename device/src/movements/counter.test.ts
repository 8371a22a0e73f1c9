import { describe, expect, it } from "vitest";
import type { MovementEngineEvent } from "./events.js";
import { burst, PLAIN, read, recorder, SGTIN, T0 } from "./testing/recorder.js";

const smoothing = { dedupMs: 50, observedReads: 2, glimpsedTimeoutMs: 500, lostTimeoutMs: 1000 };

function counter() {
  return recorder({
    role: "counter",
    antennas: [{ reader: "counter", port: 1, zone: "counter" }],
    smoothing,
    lookupSku: (epc) => (epc === PLAIN ? "SKU-CHAIR" : undefined),
  });
}

const baskets = (events: MovementEngineEvent[]) =>
  events.flatMap((e) => (e.type === "basket" ? [e] : []));

describe("counter basket", () => {
  it("announces the basket when an item settles on the counter and when one is taken off", () => {
    const { engine, events } = counter();
    const on = { reader: "counter" };
    for (const r of burst(SGTIN, 1, 0, 200, 20, on)) engine.push(r);
    for (const r of burst(PLAIN, 1, 1000, 3000, 20, on)) engine.push(r);
    engine.tick(T0 + 3000);
    expect(baskets(events)).toEqual([
      {
        type: "basket",
        zone: "counter",
        items: [{ epc: SGTIN, sku: null, gtin: "80614141123458" }],
        added: [SGTIN],
        removed: [],
        at: new Date(T0 + 60).toISOString(),
      },
      {
        type: "basket",
        zone: "counter",
        items: [
          { epc: SGTIN, sku: null, gtin: "80614141123458" },
          { epc: PLAIN, sku: "SKU-CHAIR" },
        ],
        added: [PLAIN],
        removed: [],
        at: new Date(T0 + 1060).toISOString(),
      },
      {
        type: "basket",
        zone: "counter",
        items: [{ epc: PLAIN, sku: "SKU-CHAIR" }],
        added: [],
        removed: [SGTIN],
        at: new Date(T0 + 1180).toISOString(),
      },
    ]);
    expect(engine.basket()).toEqual([{ epc: PLAIN, sku: "SKU-CHAIR" }]);
    expect(engine.present("counter")).toEqual([PLAIN]);
    expect(events.some((e) => e.type === "movement")).toBe(false);
  });

  it("a tag glimpsed on the counter is not in the basket", () => {
    const { engine, events } = counter();
    engine.push(read(PLAIN, 1, 0, { reader: "counter" }));
    engine.tick(T0 + 10_000);
    expect(baskets(events)).toEqual([]);
    expect(engine.basket()).toEqual([]);
  });
});

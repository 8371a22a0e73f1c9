import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Read } from "../readers/identity.js";
import type { DockOrder } from "./portal.js";
import { burst, PLAIN, read, recorder, SGTIN, T0 } from "./testing/recorder.js";

const smoothing = { dedupMs: 50, observedReads: 2, glimpsedTimeoutMs: 500, lostTimeoutMs: 1000 };

/** The shipped portal example: port 1 outside the door (yard), port 2 inside (dock-1). */
function portal(dock: DockOrder = { order: null, customer: null }) {
  return recorder({
    role: "portal",
    antennas: [
      { reader: "door-a", port: 1, zone: "yard" },
      { reader: "door-a", port: 2, zone: "dock-1" },
    ],
    smoothing,
    dockOrder: () => dock,
  });
}

function run(engine: { push(read: Read): void; tick(now: number): void }, reads: Read[]) {
  const sorted = [...reads].sort((a, b) => Date.parse(a.hostTime) - Date.parse(b.hostTime));
  for (const r of sorted) engine.push(r);
  engine.tick(T0 + 60_000);
}

describe("portal direction", () => {
  it("outside then inside is a receive, from outside the site to the inside zone", () => {
    const { engine, movements } = portal();
    run(engine, [
      ...burst(SGTIN, 1, 0, 400, 20, { reader: "door-a" }),
      ...burst(SGTIN, 2, 300, 700, 20, { reader: "door-a" }),
    ]);
    expect(movements()).toEqual([
      {
        epc: SGTIN,
        sku: null,
        gtin: "80614141123458",
        kind: "receive",
        from: null,
        to: "dock-1",
        reader: "door-a",
        antennas: [1, 2],
        // one counted read every 60 ms per antenna (20 ms apart, de-duplicated within 50 ms)
        reads: 14,
        // lost from dock-1 1000 ms after its last counted read (660 ms)
        at: new Date(T0 + 1660).toISOString(),
      },
    ]);
  });

  it("inside then outside is a shipment out of the site, with the dock's current order and customer", () => {
    const { engine, movements } = portal({ order: "SO-1042", customer: "acme" });
    run(engine, [
      ...burst(PLAIN, 2, 0, 400, 20, { reader: "door-a", rssi: -60 }),
      ...burst(PLAIN, 1, 300, 700, 20, { reader: "door-a", rssi: -55 }),
    ]);
    expect(movements()).toMatchObject([
      {
        epc: PLAIN,
        sku: null,
        kind: "ship",
        from: "dock-1",
        to: null,
        antennas: [2, 1],
        rssi: -55,
        order: "SO-1042",
        customer: "acme",
      },
    ]);
  });

  it("a receipt carries the dock's order (the purchase order to match) but no customer", () => {
    const { engine, movements } = portal({ order: "PO-77", customer: "acme" });
    run(engine, [...burst(SGTIN, 1, 0, 400, 20), ...burst(SGTIN, 2, 300, 700, 20)].map(onDoorA));
    expect(movements()).toHaveLength(1);
    expect(movements()[0]).toMatchObject({ kind: "receive", order: "PO-77" });
    expect(movements()[0]).not.toHaveProperty("customer");
  });

  it("a shipment with no order set on the dock carries none", () => {
    const { engine, movements } = portal();
    run(engine, [...burst(PLAIN, 2, 0, 400, 20), ...burst(PLAIN, 1, 300, 700, 20)].map(onDoorA));
    expect(movements()).toHaveLength(1);
    expect(movements()[0]).not.toHaveProperty("order");
    expect(movements()[0]).not.toHaveProperty("customer");
  });

  it("when both antennas see the tag at once, the antenna whose RSSI peaks first is where it came from", () => {
    const pass = (peakOutsideMs: number, peakInsideMs: number) => {
      const { engine, movements } = portal();
      const reads: Read[] = [];
      for (let ms = 0; ms <= 800; ms += 10) {
        reads.push(onDoorA(read(PLAIN, 1, ms, { rssi: -40 - Math.abs(ms - peakOutsideMs) / 20 })));
        reads.push(onDoorA(read(PLAIN, 2, ms, { rssi: -40 - Math.abs(ms - peakInsideMs) / 20 })));
      }
      run(engine, reads);
      return movements().map((m) => m.kind);
    };
    expect(pass(200, 600)).toEqual(["receive"]);
    expect(pass(600, 200)).toEqual(["ship"]);
  });

  it("a tag seen on one side only, or that turns back, moves nothing", () => {
    const { engine, movements } = portal();
    run(engine, burst(PLAIN, 2, 0, 2000, 20).map(onDoorA));
    run(
      engine,
      [
        ...burst(SGTIN, 1, 100_000, 100_400, 20),
        ...burst(SGTIN, 2, 100_300, 100_700, 20),
        // back outside after the yard lost it (101 360) but before dock-1 did (101 660)
        ...burst(SGTIN, 1, 101_400, 101_800, 20),
      ].map(onDoorA),
    );
    expect(movements()).toEqual([]);
  });

  it("a glimpse on the far antenna does not make a pass", () => {
    const { engine, movements } = portal();
    run(engine, [...burst(PLAIN, 1, 0, 400, 20), read(PLAIN, 2, 450)].map(onDoorA));
    expect(movements()).toEqual([]);
  });

  it("tells direction through jittery read timing, missed reads and noisy RSSI", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.boolean(),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: -6, max: -2, noNaN: true }),
        (seed, inbound, speed, start) => {
          const { engine, movements } = portal({ order: "SO-7", customer: "acme" });
          run(engine, walk(seed, inbound, speed, start));
          expect(movements().map((m) => m.kind)).toEqual([inbound ? "receive" : "ship"]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function onDoorA(r: Read): Read {
  return { ...r, reader: "door-a" };
}

/**
 * A tag carried through the door: antennas 1.5 m either side of it, each
 * reading 4 m around it, every 10 ms ± 8 ms, missing 30 % of reads, RSSI
 * falling 10 dB a metre with ±2 dB noise. Starting between -6 and -2 m
 * (from the door, on the side it comes from): at -2 m both antennas see it at once.
 */
function walk(seed: number, inbound: boolean, speed: number, start: number): Read[] {
  const random = mulberry32(seed);
  const antennas = [
    { port: 1, x: inbound ? -1.5 : 1.5 },
    { port: 2, x: inbound ? 1.5 : -1.5 },
  ];
  const reads: Read[] = [];
  for (let ms = 0; ; ms += 10) {
    const x = start + (speed * ms) / 1000;
    if (x > 6) break;
    for (const antenna of antennas) {
      const distance = Math.abs(x - antenna.x);
      if (distance > 4 || random() < 0.3) continue;
      const rssi = Math.round(-35 - 10 * distance + (random() * 4 - 2));
      const jitter = Math.round(random() * 16 - 8);
      reads.push(onDoorA(read(PLAIN, antenna.port, Math.max(0, ms + jitter), { rssi })));
    }
  }
  return reads;
}

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

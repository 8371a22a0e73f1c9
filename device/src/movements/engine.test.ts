import { ManualClock, type MovementData } from "@comptoir/contracts";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Read } from "../readers/identity.js";
import { MovementEngine } from "./engine.js";
import { burst, PLAIN, read, recorder, SGTIN, SGTIN_GTIN, T0 } from "./testing/recorder.js";

const smoothing = { dedupMs: 50, observedReads: 2, glimpsedTimeoutMs: 500, lostTimeoutMs: 1000 };

describe("movement engine", () => {
  it("records an uncommissioned tag with sku null, an SGTIN with its GTIN only, a commissioned one with its SKU", () => {
    const commissioned = "E2801160600002080000C0DE";
    const { engine, movements } = recorder({
      role: "shelf",
      antennas: [{ reader: "r1", port: 1, zone: "bay-1" }],
      smoothing,
      lookupSku: (epc) => (epc === commissioned ? "SKU-000042" : undefined),
    });
    for (const epc of [PLAIN, SGTIN, commissioned])
      for (const r of burst(epc, 1, 0, 60, 60)) engine.push(r);
    expect(movements().map((m) => [m.epc, m.sku, m.gtin])).toEqual([
      [PLAIN, null, undefined],
      // The GTIN is never a SKU: the gateway finds the product from it.
      [SGTIN, null, SGTIN_GTIN],
      [commissioned, "SKU-000042", undefined],
    ]);
  });

  it("builds itself from a node config, and tick() without a time uses the injected clock", () => {
    const config = NodeConfigSchema.parse({
      node: { id: "shelf-a", site: "lyon-1", role: "shelf" },
      readers: [
        {
          id: "aisle-a",
          protocol: "r2000",
          url: "tcp://10.0.5.21:4001",
          antennas: [{ port: 1, zone: "shelf-a1" }],
        },
      ],
      smoothing: { lostTimeoutMs: 2000 },
    });
    const clock = new ManualClock(new Date(T0));
    const engine = MovementEngine.fromConfig(config, { clock });
    const movements: MovementData[] = [];
    engine.on((e) => e.type === "movement" && movements.push(e.movement));
    for (const r of burst(PLAIN, 1, 0, 100, 50, { reader: "aisle-a" })) engine.push(r);
    expect(engine.settings).toMatchObject({ dedupMs: 50, observedReads: 2, lostTimeoutMs: 2000 });
    clock.set(new Date(T0 + 2099));
    engine.tick();
    expect(movements.map((m) => m.kind)).toEqual(["putaway"]);
    clock.advance(1);
    engine.tick();
    expect(movements.map((m) => m.kind)).toEqual(["putaway", "pick"]);
  });

  it("station nodes announce each scanned tag once per visit", () => {
    const { engine, events } = recorder({
      role: "station",
      antennas: [{ reader: "desk", port: 1, zone: "desk" }],
      smoothing,
    });
    for (const r of burst(SGTIN, 1, 0, 3000, 20, { reader: "desk" })) engine.push(r);
    for (const r of burst(SGTIN, 1, 5000, 5200, 20, { reader: "desk" })) engine.push(r);
    expect(events).toEqual([
      {
        type: "scanned",
        epc: SGTIN,
        sku: null,
        gtin: SGTIN_GTIN,
        zone: "desk",
        reader: "desk",
        antennas: [1],
        at: new Date(T0 + 60).toISOString(),
      },
      expect.objectContaining({ type: "scanned", at: new Date(T0 + 5060).toISOString() }),
    ]);
  });

  it("refuses settings and zones it cannot work with, saying what to change", () => {
    const portal =
      (zones: string[], extra: object = {}) =>
      () =>
        new MovementEngine({
          role: "portal",
          antennas: zones.map((zone, i) => ({ reader: "door", port: i + 1, zone })),
          smoothing: extra,
        });
    expect(portal(["dock-1"])).toThrow(/at least two zones/);
    expect(portal(["yard", "dock-1"], { portalZones: ["yard", "dock-9"] })).toThrow(
      /"dock-9", which no antenna maps to/,
    );
    expect(portal(["yard", "dock 1"])).toThrow(/zone "dock 1" cannot be recorded/);
    expect(portal(["yard", "dock-1"], { dedupMs: 500 })).toThrow(/dedupMs must be shorter/);
  });
});

const EPCS = ["E2801160600002080000000A", "E2801160600002080000000B", SGTIN];

/** Random reads of a few tags on a few antennas, time-ordered, with ticks between some. */
const scenario = fc
  .array(
    fc.record({
      epc: fc.constantFrom(...EPCS),
      antenna: fc.integer({ min: 1, max: 3 }),
      gap: fc.integer({ min: 0, max: 400 }),
      rssi: fc.integer({ min: -80, max: -30 }),
      tick: fc.boolean(),
      copies: fc.integer({ min: 0, max: 3 }),
      copyRssi: fc.integer({ min: -80, max: -30 }),
    }),
    { maxLength: 150 },
  )
  .map((steps) => {
    let ms = 0;
    return steps.map((step) => {
      ms += step.gap;
      return { ...step, ms };
    });
  });

type Step = {
  epc: string;
  antenna: number;
  ms: number;
  rssi: number;
  tick: boolean;
  copies: number;
  copyRssi: number;
};

function movementsOf(
  role: "portal" | "shelf",
  steps: Step[],
  options: { duplicates: boolean; ticks: boolean },
) {
  // As on a running node, where a tag is comes from the stock its movements built: a tag the
  // engine forgot (idle after a tick) is found where it was left, not taken for a new one.
  const places = new Map<string, string | null>();
  const { engine, movements } = recorder({
    role,
    antennas: [
      { reader: "r1", port: 1, zone: "yard" },
      { reader: "r1", port: 2, zone: "dock-1" },
      { reader: "r1", port: 3, zone: "dock-1" },
    ],
    smoothing,
    dockOrder: () => ({ order: "SO-1", customer: "acme" }),
    placeOf: (epc) => places.get(epc),
  });
  engine.on((event) => {
    if (event.type === "movement") places.set(event.movement.epc, event.movement.to);
  });
  for (const step of steps) {
    const r: Read = read(step.epc, step.antenna, step.ms, { rssi: step.rssi });
    engine.push(r);
    // a duplicate: the same tag on the same antenna at the same time (RSSI may differ)
    if (options.duplicates)
      for (let i = 0; i < step.copies; i++) engine.push({ ...r, rssi: step.copyRssi });
    if (options.ticks && step.tick) engine.tick(T0 + step.ms);
  }
  engine.tick(T0 + 10_000_000);
  return movements();
}

const canonical = (movements: MovementData[]) => movements.map((m) => JSON.stringify(m)).sort();

describe("movement engine properties", () => {
  for (const role of ["portal", "shelf"] as const) {
    it(`${role}: duplicate reads never change the movements produced`, () => {
      fc.assert(
        fc.property(scenario, (steps) => {
          expect(movementsOf(role, steps, { duplicates: true, ticks: true })).toEqual(
            movementsOf(role, steps, { duplicates: false, ticks: true }),
          );
        }),
        { numRuns: 300 },
      );
    });

    it(`${role}: how often tick() runs changes when movements are announced, not what they are`, () => {
      fc.assert(
        fc.property(scenario, (steps) => {
          expect(canonical(movementsOf(role, steps, { duplicates: false, ticks: false }))).toEqual(
            canonical(movementsOf(role, steps, { duplicates: false, ticks: true })),
          );
        }),
        { numRuns: 300 },
      );
    });
  }
});

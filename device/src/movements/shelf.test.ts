import { createLogger } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { burst, PLAIN, read, recorder, SGTIN, T0 } from "./testing/recorder.js";

const smoothing = { dedupMs: 50, observedReads: 2, glimpsedTimeoutMs: 500, lostTimeoutMs: 1000 };
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** The shipped shelf example: one reader, one bay per antenna. */
function shelf(places: Record<string, string | null> = {}) {
  return recorder({
    role: "shelf",
    antennas: [1, 2, 3, 4].map((port) => ({ reader: "aisle-a", port, zone: `shelf-a${port}` })),
    smoothing,
    placeOf: (epc) => places[epc],
  });
}

const onAisle = { reader: "aisle-a" };
const summary = (m: { kind: string; from: string | null; to: string | null; at: string }) => [
  m.kind,
  m.from,
  m.to,
  m.at,
];

describe("shelf put-away and picking", () => {
  it("puts away an item received at the dock into the bay where it settles", () => {
    const { engine, movements } = shelf({ [SGTIN]: "dock-1" });
    for (const r of burst(SGTIN, 3, 0, 300, 25, onAisle)) engine.push(r);
    expect(movements()).toEqual([
      {
        epc: SGTIN,
        sku: null,
        gtin: "80614141123458",
        kind: "putaway",
        from: "dock-1",
        to: "shelf-a3",
        reader: "aisle-a",
        antennas: [3],
        reads: 2,
        at: at(50),
      },
    ]);
  });

  it("records nothing for an item already where the stock says it is", () => {
    const { engine, movements } = shelf({ [SGTIN]: "shelf-a3" });
    for (const r of burst(SGTIN, 3, 0, 5000, 25, onAisle)) engine.push(r);
    expect(movements()).toEqual([]);
  });

  it("moves an item between bays once it has left the first, without ping-pong while both see it", () => {
    const { engine, movements } = shelf({ [PLAIN]: "shelf-a1" });
    const push = (reads: ReturnType<typeof burst>) => {
      reads.sort((a, b) => Date.parse(a.hostTime) - Date.parse(b.hostTime));
      for (const r of reads) engine.push(r);
    };
    push([
      ...burst(PLAIN, 1, 0, 2000, 25, onAisle),
      // the neighbouring bay sees it too while it still sits in bay 1
      ...burst(PLAIN, 2, 500, 1500, 100, onAisle),
    ]);
    engine.tick(T0 + 2000);
    // then it is moved to bay 2
    push(burst(PLAIN, 2, 2100, 2900, 25, onAisle));
    engine.tick(T0 + 2999);
    expect(movements()).toEqual([]);
    push(burst(PLAIN, 2, 2925, 6000, 25, onAisle));
    // bay 1 lost it 1000 ms after its last counted read (2000 ms)
    expect(movements().map(summary)).toEqual([["putaway", "shelf-a1", "shelf-a2", at(3000)]]);
    expect(movements()[0]?.antennas).toEqual([2]);
  });

  it("picks an item that leaves every bay, into the picked zone", () => {
    const { engine, movements } = shelf({ [PLAIN]: "shelf-a4" });
    for (const r of burst(PLAIN, 4, 0, 3000, 50, onAisle)) engine.push(r);
    engine.tick(T0 + 3999);
    expect(movements()).toEqual([]);
    engine.tick(T0 + 4000);
    expect(movements().map(summary)).toEqual([["pick", "shelf-a4", "picked", at(4000)]]);
    expect(movements()[0]).toMatchObject({ sku: null, reads: 61, antennas: [4] });
  });

  it("an item the node has not seen is put away from nowhere, never received (that is the dock's); its place follows the movements", () => {
    const places: Record<string, string | null> = {};
    const { engine, movements } = shelf(places);
    engine.on((e) => {
      if (e.type === "movement") places[e.movement.epc] = e.movement.to;
    });
    engine.push(read(PLAIN, 2, 0, onAisle));
    engine.push(read(PLAIN, 2, 100, onAisle));
    engine.tick(T0 + 1100);
    engine.push(read(PLAIN, 1, 1200, onAisle));
    engine.push(read(PLAIN, 1, 1300, onAisle));
    expect(movements().map(summary)).toEqual([
      ["putaway", null, "shelf-a2", at(100)],
      ["pick", "shelf-a2", "picked", at(1100)],
      ["putaway", "picked", "shelf-a1", at(1300)],
    ]);
  });
});

describe("tags read less often than the dwell allows", () => {
  /** 30 items on one shelf bay, each read every `everyMs` for a minute, with the default dwell. */
  function busyShelf(everyMs: number) {
    const lines: { msg: string; dropped?: number }[] = [];
    const logger = createLogger(
      { level: "warn" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const { engine, movements } = recorder({
      role: "shelf",
      antennas: [{ reader: "aisle-a", port: 1, zone: "shelf-a1" }],
      smoothing: {},
      logger,
    });
    const epcs = Array.from(
      { length: 30 },
      (_, i) => `E28011606000020${String(i).padStart(9, "0")}`,
    );
    for (let ms = 0; ms <= 61_000; ms += everyMs) {
      for (const epc of epcs) engine.push(read(epc, 1, ms, onAisle));
      engine.tick(T0 + ms);
    }
    const warnings = lines.filter((line) => /glimpsedTimeoutMs/.test(line.msg));
    return { engine, movements, warnings };
  }

  it("are not silently lost: the node warns and says which setting to change", () => {
    // Read every 800 ms, while the default dwell wants 2 reads within 500 ms.
    const { engine, movements, warnings } = busyShelf(800);
    expect(movements()).toEqual([]);
    expect(engine.stats.glimpsesDropped).toBeGreaterThan(30);
    expect(warnings[0]?.dropped).toBeGreaterThanOrEqual(20);
  });

  it("stay quiet when the readings meet the dwell", () => {
    const { movements, warnings } = busyShelf(200);
    expect(movements()).toHaveLength(30);
    expect(warnings).toEqual([]);
  });
});

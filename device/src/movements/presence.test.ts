import { describe, expect, it } from "vitest";
import { burst, PLAIN, read, recorder, T0 } from "./testing/recorder.js";

/** A one-bay shelf: a tag that settles is put away (from nowhere, the node does not know it), one that leaves is picked. */
function shelf(smoothing: Record<string, number> = {}) {
  return recorder({
    role: "shelf",
    antennas: [{ reader: "r1", port: 1, zone: "bay-1" }],
    smoothing: {
      dedupMs: 50,
      observedReads: 2,
      glimpsedTimeoutMs: 500,
      lostTimeoutMs: 1000,
      ...smoothing,
    },
  });
}

const at = (ms: number) => new Date(T0 + ms).toISOString();

describe("presence: dwell, de-duplication and timeouts", () => {
  it("enters the zone on the second read within the glimpse timeout, not before", () => {
    const { engine, movements } = shelf();
    engine.push(read(PLAIN, 1, 0));
    expect(movements()).toEqual([]);
    expect(engine.present("bay-1")).toEqual([]);
    engine.push(read(PLAIN, 1, 499));
    expect(movements()).toMatchObject([
      { kind: "putaway", from: null, to: "bay-1", reads: 2, at: at(499) },
    ]);
    expect(engine.present("bay-1")).toEqual([PLAIN]);
  });

  it("drops a glimpse whose second read comes at the glimpse timeout, and starts again", () => {
    const { engine, movements } = shelf();
    engine.push(read(PLAIN, 1, 0));
    engine.push(read(PLAIN, 1, 500));
    expect(movements()).toEqual([]);
    engine.push(read(PLAIN, 1, 550));
    expect(movements()).toMatchObject([{ to: "bay-1", reads: 2, at: at(550) }]);
  });

  it("counts a read on the same antenna only once dedupMs have passed since the last counted one", () => {
    const { engine, movements } = shelf();
    engine.push(read(PLAIN, 1, 0));
    for (let ms = 1; ms < 50; ms += 7) engine.push(read(PLAIN, 1, ms));
    engine.push(read(PLAIN, 1, 49));
    expect(movements()).toEqual([]);
    expect(engine.stats.duplicates).toBe(8);
    engine.push(read(PLAIN, 1, 50));
    expect(movements()).toHaveLength(1);
  });

  it("enters after observedMs between first and last read when that comes before the read count", () => {
    const { engine, movements } = shelf({ observedReads: 5, observedMs: 200 });
    for (const r of burst(PLAIN, 1, 0, 150, 75)) engine.push(r);
    expect(movements()).toEqual([]);
    engine.push(read(PLAIN, 1, 200));
    expect(movements()).toMatchObject([{ reads: 4, at: at(200) }]);
  });

  it("leaves the zone exactly lostTimeoutMs after the last read, whenever the tick comes", () => {
    const { engine, movements } = shelf();
    for (const r of burst(PLAIN, 1, 0, 300, 10)) engine.push(r);
    engine.tick(T0 + 1299);
    expect(movements()).toHaveLength(1);
    expect(engine.present("bay-1")).toEqual([PLAIN]);
    engine.tick(T0 + 5000);
    expect(movements()[1]).toMatchObject({
      kind: "pick",
      from: "bay-1",
      to: "picked",
      at: at(1300),
    });
    expect(engine.present("bay-1")).toEqual([]);
    expect(engine.stats.tracked).toBe(0);
  });

  it("a read after the lost timeout ends the old visit before starting a new one, without a tick", () => {
    const { engine, movements } = shelf();
    engine.push(read(PLAIN, 1, 0));
    engine.push(read(PLAIN, 1, 100));
    engine.push(read(PLAIN, 1, 1100));
    engine.push(read(PLAIN, 1, 1200));
    expect(movements().map((m) => [m.kind, m.from, m.to, m.at])).toEqual([
      ["putaway", null, "bay-1", at(100)],
      ["pick", "bay-1", "picked", at(1100)],
      ["putaway", "picked", "bay-1", at(1200)],
    ]);
  });

  it("glimpses never become movements, however many tags and antennas glimpse", () => {
    const { engine, events } = recorder({
      role: "shelf",
      antennas: [1, 2, 3, 4].map((port) => ({ reader: "r1", port, zone: `bay-${port}` })),
      smoothing: { dedupMs: 50, observedReads: 2, glimpsedTimeoutMs: 500, lostTimeoutMs: 1000 },
    });
    for (let i = 0; i < 200; i++) {
      const epc = `E28011606000020800000${String(i % 7).padStart(3, "0")}`;
      engine.push(read(epc, (i % 4) + 1, i * 600));
      engine.tick(T0 + i * 600 + 300);
    }
    engine.tick(T0 + 10_000_000);
    expect(events).toEqual([]);
    expect(engine.stats.tracked).toBe(0);
  });

  it("follows at most maxTags tags, forgetting the least recently read", () => {
    const { engine, movements } = shelf({ maxTags: 2 });
    const tags = [
      "E2801160600002080000000A",
      "E2801160600002080000000B",
      "E2801160600002080000000C",
    ];
    tags.forEach((epc, i) => {
      engine.push(read(epc, 1, i * 10));
      engine.push(read(epc, 1, i * 10 + 60));
    });
    expect(engine.stats).toMatchObject({ tracked: 2, evicted: 1 });
    // the forgotten tag left its bay when it was forgotten
    expect(movements().map((m) => [m.epc, m.kind])).toEqual([
      [tags[0], "putaway"],
      [tags[1], "putaway"],
      [tags[0], "pick"],
      [tags[2], "putaway"],
    ]);
  });

  it("ignores reads from antennas no zone is mapped to", () => {
    const { engine, events } = shelf();
    for (const r of burst(PLAIN, 2, 0, 500, 50)) engine.push(r);
    for (const r of burst(PLAIN, 1, 0, 500, 50, { reader: "other" })) engine.push(r);
    expect(events).toEqual([]);
    expect(engine.stats.ignored).toBe(22);
  });
});

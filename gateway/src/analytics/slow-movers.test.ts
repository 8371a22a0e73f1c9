import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createBook } from "../valuation/engine.js";
import { AnalyticsAlerts } from "./alerts.js";
import { SlowMoverWatch } from "./slow-movers.js";

const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(config = { days: 30, maxAgeDays: 90 }) {
  const dir = mkdtempSync(join(tmpdir(), "comptoir-slow-"));
  dirs.push(dir);
  const clock = new ManualClock("2026-01-01T08:00:00.000Z");
  const alerts = new AnalyticsAlerts(new Database(join(dir, "gateway.db")), { clock });
  const book = createBook({ catalogCost: () => 100 });
  let seq = 0;
  const move = (epc: string, kind: "receive" | "ship", sku = "TEA") =>
    book.apply({
      chain: "n1",
      seq: ++seq,
      epc,
      sku,
      kind,
      from: kind === "receive" ? null : "shelf-a",
      to: kind === "receive" ? "shelf-a" : null,
      at: clock.now().toISOString(),
      order: null,
    });
  const watch = new SlowMoverWatch({
    book: () => book,
    alerts,
    config: () => config,
    clock,
    names: (sku) => (sku === "TEA" ? "Green tea" : sku),
  });
  const day = (n: number) => clock.set(new Date(Date.parse("2026-01-01T08:00:00.000Z") + n * DAY));
  const kinds = () => watch.check().map((a) => [a.kind, a.subject, a.clearedAt === null]);
  return { clock, alerts, move, watch, day, kinds };
}

describe("slow movers", () => {
  it("raises once per crossing: two checks, one alert; cleared when a unit leaves; a second crossing raises again", () => {
    const s = setup();
    s.move("T1", "receive");
    s.move("T2", "receive");
    s.day(29);
    expect(s.kinds()).toEqual([]);
    s.day(30);
    expect(s.kinds()).toEqual([["slow-mover", "TEA", true]]);
    expect(s.watch.check()).toEqual([]);
    const [open] = s.alerts.list({ kind: "slow-mover" });
    expect(open).toMatchObject({
      sku: "TEA",
      message: "Green tea (TEA): nothing has left for 30 days (limit 30), 2 on site",
      detail: { days: 30, limitDays: 30, lastOut: null, onSite: 2 },
    });

    s.day(31);
    s.move("T1", "ship");
    expect(s.kinds()).toEqual([["slow-mover", "TEA", false]]);
    // 30 days after that exit: the second crossing.
    s.day(61);
    expect(s.kinds()).toEqual([["slow-mover", "TEA", true]]);
    expect(s.watch.check()).toEqual([]);
    expect(s.alerts.list({ kind: "slow-mover", all: true })).toHaveLength(2);
  });

  it("counts from the oldest unit's receipt when the product was out of stock since its last exit", () => {
    const s = setup();
    s.move("T1", "receive");
    s.day(1);
    s.move("T1", "ship");
    // Out of stock for 100 days, then restocked: nothing could leave meanwhile.
    s.day(101);
    s.move("T2", "receive");
    s.day(106);
    expect(s.kinds()).toEqual([]);
    s.day(131);
    expect(s.kinds()).toEqual([["slow-mover", "TEA", true]]);
  });

  it("cleared when nothing is left on site", () => {
    const s = setup();
    s.move("T1", "receive");
    s.day(40);
    expect(s.kinds()).toEqual([["slow-mover", "TEA", true]]);
    s.move("T1", "ship");
    expect(s.kinds()).toEqual([["slow-mover", "TEA", false]]);
    expect(s.alerts.list({ kind: "slow-mover" })).toEqual([]);
  });
});

describe("old stock", () => {
  it("a unit past maxAgeDays raises once, with the count and the oldest; cleared when none is that old", () => {
    const s = setup({ days: 1000, maxAgeDays: 90 });
    s.move("T1", "receive");
    s.day(10);
    s.move("T2", "receive");
    s.day(90);
    // Exactly 90 days is not past 90.
    expect(s.kinds()).toEqual([]);
    s.day(91);
    expect(s.kinds()).toEqual([["old-stock", "TEA", true]]);
    expect(s.kinds()).toEqual([]);
    expect(s.alerts.list({ kind: "old-stock" })[0]).toMatchObject({
      detail: {
        count: 1,
        oldestEpc: "T1",
        oldestReceivedAt: "2026-01-01T08:00:00.000Z",
        ageDays: 91,
      },
    });
    s.move("T1", "ship");
    expect(s.kinds()).toEqual([["old-stock", "TEA", false]]);
    // T2 crosses 90 days in its turn: a second alert.
    s.day(101);
    expect(s.kinds()).toEqual([["old-stock", "TEA", true]]);
    expect(s.alerts.list({ kind: "old-stock", all: true })).toHaveLength(2);
  });

  it("products are watched each on their own", () => {
    const s = setup({ days: 30, maxAgeDays: 90 });
    s.move("T1", "receive");
    s.move("M1", "receive", "MUG");
    s.day(20);
    s.move("M2", "receive", "MUG");
    s.move("M1", "ship", "MUG");
    s.day(35);
    expect(s.kinds()).toEqual([["slow-mover", "TEA", true]]);
    s.day(50);
    expect(s.kinds()).toEqual([["slow-mover", "MUG", true]]);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import { AnalyticsConfigSchema } from "@comptoir/firmware-config";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createBook } from "../valuation/engine.js";
import { AbcSchedule, recordAbcRun, type Timers } from "./abc-schedule.js";
import { AbcStore } from "./abc-store.js";

const HOUR = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Timers that only fire when the test says so; the clock moves to each one's due time. */
class TestTimers implements Timers {
  pending: { run: () => void; at: number; id: number }[] = [];
  private next = 0;
  constructor(private readonly clock: ManualClock) {}
  setTimeout(run: () => void, ms: number): unknown {
    const id = ++this.next;
    this.pending.push({ run, at: this.clock.now().getTime() + ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }
  /** When the one pending timer is due (ISO). */
  dueAt(): string | undefined {
    const [timer] = this.pending;
    return timer ? new Date(timer.at).toISOString() : undefined;
  }
  /** Moves the clock to the first pending timer and fires it. */
  fire(): void {
    const timer = this.pending.shift();
    if (!timer) throw new Error("no timer pending");
    this.clock.set(new Date(timer.at));
    timer.run();
  }
}

function setup(everyHours = 24) {
  const dir = mkdtempSync(join(tmpdir(), "comptoir-abc-schedule-"));
  dirs.push(dir);
  const path = join(dir, "gateway.db");
  const clock = new ManualClock("2026-12-01T06:00:00.000Z");
  const book = createBook({ catalogCost: () => 100 });
  const config = AnalyticsConfigSchema.parse({ abc: { everyHours } }).abc;
  /** A gateway start: its own database connection, store, timers and schedule. */
  const boot = () => {
    const store = new AbcStore(new Database(path));
    const timers = new TestTimers(clock);
    const deps = {
      book: () => book,
      store,
      config: () => config,
      method: "fifo" as const,
      currency: "EUR",
      names: (sku: string) => sku,
      clock,
    };
    return { store, timers, deps, schedule: new AbcSchedule({ ...deps, timers }) };
  };
  return { clock, boot };
}

describe("ABC schedule", () => {
  it("everyHours 0: never runs, arms nothing", () => {
    const { boot } = setup(0);
    const g = boot();
    g.schedule.start();
    expect(g.store.lastRunAt()).toBeNull();
    expect(g.timers.pending).toHaveLength(0);
    expect(g.schedule.nextRunAt()).toBeNull();
  });

  it("never run: runs at start, then once every period", () => {
    const { boot } = setup(24);
    const g = boot();
    g.schedule.start();
    expect(g.store.lastRunAt()).toBe("2026-12-01T06:00:00.000Z");
    expect(g.timers.dueAt()).toBe("2026-12-02T06:00:00.000Z");
    g.timers.fire();
    expect(g.store.lastRunAt()).toBe("2026-12-02T06:00:00.000Z");
    expect(g.timers.dueAt()).toBe("2026-12-03T06:00:00.000Z");
    expect(g.timers.pending).toHaveLength(1);
  });

  it("a run missed while down happens once at start, never twice, whatever was missed", () => {
    const { clock, boot } = setup(24);
    const first = boot();
    first.schedule.start();
    first.schedule.stop();
    expect(first.timers.pending).toHaveLength(0);
    // Down for four days: four runs missed.
    clock.advance(100 * HOUR);
    const second = boot();
    second.schedule.start();
    expect(second.store.lastRunAt()).toBe("2026-12-05T10:00:00.000Z");
    expect(second.timers.dueAt()).toBe("2026-12-06T10:00:00.000Z");
    second.schedule.stop();
    // Restarted an hour later: the run is not due again.
    clock.advance(HOUR);
    const third = boot();
    third.schedule.start();
    expect(third.store.lastRunAt()).toBe("2026-12-05T10:00:00.000Z");
    expect(third.timers.dueAt()).toBe("2026-12-06T10:00:00.000Z");
    // Two runs recorded in all: at the first start and at the second.
    const runs = new Database(join(dirs[0] as string, "gateway.db"))
      .prepare("SELECT run_at FROM abc_runs ORDER BY id")
      .all();
    expect(runs).toEqual([
      { run_at: "2026-12-01T06:00:00.000Z" },
      { run_at: "2026-12-05T10:00:00.000Z" },
    ]);
  });

  it("a run on request in between pushes the next scheduled one back instead of doubling it", () => {
    const { clock, boot } = setup(24);
    const g = boot();
    g.schedule.start();
    clock.advance(20 * HOUR);
    recordAbcRun(g.deps);
    // The timer set for 06:00 next day fires: nothing due, re-armed one period after the request.
    g.timers.fire();
    expect(g.store.lastRunAt()).toBe("2026-12-02T02:00:00.000Z");
    expect(g.timers.dueAt()).toBe("2026-12-03T02:00:00.000Z");
  });

  it("start twice arms one timer; stop disarms it", () => {
    const { boot } = setup(24);
    const g = boot();
    g.schedule.start();
    g.schedule.start();
    expect(g.timers.pending).toHaveLength(1);
    g.schedule.stop();
    expect(g.timers.pending).toHaveLength(0);
  });

  it("a period longer than a timer can wait is waited in steps", () => {
    const { boot } = setup(24 * 366);
    const g = boot();
    g.schedule.start();
    const first = g.timers.pending[0];
    expect(first && first.at - Date.parse("2026-12-01T06:00:00.000Z")).toBe(2 ** 31 - 1);
    g.timers.fire();
    // Not due yet: no run, another step armed.
    expect(g.store.lastRunAt()).toBe("2026-12-01T06:00:00.000Z");
    expect(g.timers.pending).toHaveLength(1);
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ManualTimers } from "../testing/manual-timers.js";
import type { JobContext, ScheduledJob } from "./job.js";
import { JobBusyError } from "./job.js";
import { Scheduler } from "./scheduler.js";

const PARIS = "Europe/Paris";
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function storeFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "comptoir-schedules-")), "gateway.db");
}

/** A job that records when (by the clock) and for which slot it ran; `fail` makes a run throw. */
function recorder(
  name: string,
  cron: string,
  clock: ManualClock,
  fail: () => boolean = () => false,
) {
  const runs: { at: string; trigger: string; slot: string | null }[] = [];
  const job: ScheduledJob = {
    name,
    description: name,
    cron,
    enabled: true,
    run: (context: JobContext) => {
      runs.push({ at: clock.now().toISOString(), trigger: context.trigger, slot: context.slot });
      if (fail()) throw new Error(`${name} broke`);
      return `${name} ran`;
    },
  };
  return { job, runs };
}

/** A gateway process: a scheduler over the store file, started at the clock's time. */
function boot(file: string, clock: ManualClock, jobs: ScheduledJob[]) {
  const db = new Database(file);
  open.push(db);
  const timers = new ManualTimers(clock);
  const scheduler = new Scheduler({ db, jobs, timeZone: PARIS, clock, timers });
  scheduler.start();
  const advanceTo = (time: string) => timers.advanceTo(time, () => scheduler.whenIdle());
  return { db, scheduler, timers, advanceTo };
}

describe("the scheduler", () => {
  it("runs a slot missed while the gateway was stopped once at start, and not again after another restart", async () => {
    const file = await storeFile();
    // Monday 12 January 2026, 04:00 UTC: the first start ever.
    const clock = new ManualClock("2026-01-12T04:00:00.000Z");
    const dunning = recorder("dunning", "0 7 * * 1-5", clock);
    const first = boot(file, clock, [dunning.job]);
    await first.scheduler.whenIdle();
    expect(dunning.runs).toEqual([]);
    await first.scheduler.stop();

    // Down from Monday to Thursday 10:00 Paris: four 07:00 slots passed.
    clock.set("2026-01-15T09:00:00.000Z");
    const second = boot(file, clock, [dunning.job]);
    await second.scheduler.whenIdle();
    expect(dunning.runs).toEqual([
      { at: "2026-01-15T09:00:00.000Z", trigger: "catch-up", slot: "2026-01-15T06:00:00.000Z" },
    ]);
    await second.scheduler.stop();

    clock.set("2026-01-15T09:30:00.000Z");
    const third = boot(file, clock, [dunning.job]);
    await third.scheduler.whenIdle();
    expect(dunning.runs).toHaveLength(1);
    const [view] = third.scheduler.list();
    expect(view).toMatchObject({
      job: "dunning",
      timeZone: PARIS,
      lastSlot: "2026-01-15T06:00:00.000Z",
      nextRunAt: "2026-01-16T06:00:00.000Z",
      lastRun: { trigger: "catch-up", outcome: "ok", summary: "dunning ran" },
    });
    await third.advanceTo("2026-01-16T06:00:00.000Z");
    expect(dunning.runs.map((run) => run.slot)).toEqual([
      "2026-01-15T06:00:00.000Z",
      "2026-01-16T06:00:00.000Z",
    ]);
    await third.scheduler.stop();
  });

  it("a job turned off and on again runs nothing for the slots it was off", async () => {
    const file = await storeFile();
    const clock = new ManualClock("2026-01-12T04:00:00.000Z");
    const dunning = recorder("dunning", "0 7 * * 1-5", clock);
    await boot(file, clock, [dunning.job]).scheduler.stop();
    clock.set("2026-01-13T09:00:00.000Z");
    await boot(file, clock, [{ ...dunning.job, enabled: false }]).scheduler.stop();
    clock.set("2026-01-15T09:00:00.000Z");
    const on = boot(file, clock, [dunning.job]);
    await on.scheduler.whenIdle();
    expect(dunning.runs).toEqual([]);
    await on.advanceTo("2026-01-16T06:00:00.000Z");
    expect(dunning.runs.map((run) => run.trigger)).toEqual(["schedule"]);
    await on.scheduler.stop();
  });

  it("a first start runs nothing for slots before it", async () => {
    const clock = new ManualClock("2026-01-15T09:00:00.000Z");
    const dunning = recorder("dunning", "0 7 * * 1-5", clock);
    const { scheduler } = boot(await storeFile(), clock, [dunning.job]);
    await scheduler.whenIdle();
    expect(dunning.runs).toEqual([]);
    expect(scheduler.list()[0]?.lastSlot).toBe("2026-01-15T06:00:00.000Z");
    await scheduler.stop();
  });

  it("reads 07:00 in the site's zone: 06:00 UTC in winter, 05:00 UTC in summer", async () => {
    const clock = new ManualClock("2026-01-11T12:00:00.000Z");
    const dunning = recorder("dunning", "0 7 * * 1-5", clock);
    const { scheduler, advanceTo } = boot(await storeFile(), clock, [dunning.job]);
    await advanceTo("2026-01-12T12:00:00.000Z");
    clock.set("2026-07-12T12:00:00.000Z");
    // Re-armed from the new time: the catch-up of the spring's slots is not this test's concern.
    await scheduler.stop();
    const summer = boot(await storeFile(), clock, [dunning.job]);
    await summer.advanceTo("2026-07-13T12:00:00.000Z");
    expect(dunning.runs.map((run) => run.at)).toEqual([
      "2026-01-12T06:00:00.000Z",
      "2026-07-13T05:00:00.000Z",
    ]);
    await summer.scheduler.stop();
  });

  it("keeps 07:00 across the spring change, and runs 02:30 once when it is skipped or doubled", async () => {
    const clock = new ManualClock("2026-03-27T12:00:00.000Z");
    const morning = recorder("morning", "0 7 * * *", clock);
    const night = recorder("night", "30 2 * * *", clock);
    const { scheduler, advanceTo } = boot(await storeFile(), clock, [morning.job, night.job]);
    await advanceTo("2026-03-30T12:00:00.000Z");
    // Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Paris.
    expect(morning.runs.map((run) => run.at)).toEqual([
      "2026-03-28T06:00:00.000Z",
      "2026-03-29T05:00:00.000Z",
      "2026-03-30T05:00:00.000Z",
    ]);
    // No 02:30 on the 29th: it runs at 03:00 local (01:00 UTC), once.
    expect(night.runs.map((run) => run.at)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    await scheduler.stop();

    // Sunday 25 October 2026: 02:30 happens twice in Paris; the job runs once.
    clock.set("2026-10-24T12:00:00.000Z");
    const autumn = recorder("night", "30 2 * * *", clock);
    const fall = boot(await storeFile(), clock, [autumn.job]);
    await fall.advanceTo("2026-10-26T12:00:00.000Z");
    expect(autumn.runs.map((run) => run.at)).toEqual([
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
    await fall.scheduler.stop();
  });

  it("logs a failing job's run and tries it again at its next slot, while the others run on", async () => {
    const clock = new ManualClock("2026-01-12T00:00:00.000Z");
    let failures = 1;
    // 02:00 in Paris: 01:00 UTC in January.
    const flaky = recorder("exports", "0 2 * * *", clock, () => failures-- > 0);
    const steady = recorder("reconciliation", "*/30 * * * *", clock);
    const { scheduler, advanceTo } = boot(await storeFile(), clock, [flaky.job, steady.job]);
    await advanceTo("2026-01-12T00:10:00.000Z");
    expect(flaky.runs).toHaveLength(0);
    await advanceTo("2026-01-12T01:00:00.000Z");
    expect(scheduler.list().find((view) => view.job === "exports")?.lastRun).toMatchObject({
      outcome: "failed",
      error: "exports broke",
    });
    // Not again before its next slot, however long…
    await advanceTo("2026-01-12T23:59:00.000Z");
    expect(flaky.runs).toHaveLength(1);
    expect(steady.runs.length).toBe(47);
    // …and again at it.
    await advanceTo("2026-01-13T01:00:00.000Z");
    expect(flaky.runs.map((run) => run.at)).toEqual([
      "2026-01-12T01:00:00.000Z",
      "2026-01-13T01:00:00.000Z",
    ]);
    expect(scheduler.list().find((view) => view.job === "exports")?.lastRun).toMatchObject({
      outcome: "ok",
      error: null,
    });
    await scheduler.stop();
  });

  it("runs a slot again at the next start when the gateway died in the middle of its run", async () => {
    const file = await storeFile();
    const clock = new ManualClock("2026-01-12T00:00:00.000Z");
    const calls: string[] = [];
    const hanging: ScheduledJob = {
      name: "exports",
      description: "exports",
      cron: "0 2 * * *",
      enabled: true,
      run: (context) => {
        calls.push(context.trigger);
        // The first run never ends: the process is killed under it.
        return calls.length === 1 ? new Promise<string>(() => {}) : "written";
      },
    };
    const dead = boot(file, clock, [hanging]);
    await dead.timers.advanceTo("2026-01-12T01:00:00.000Z");
    expect(calls).toEqual(["schedule"]);
    expect(dead.scheduler.list()[0]?.running).toBe(true);

    clock.set("2026-01-12T01:05:00.000Z");
    const next = boot(file, clock, [hanging]);
    await next.scheduler.whenIdle();
    expect(calls).toEqual(["schedule", "catch-up"]);
    expect(next.scheduler.list()[0]).toMatchObject({
      lastSlot: "2026-01-12T01:00:00.000Z",
      lastRun: { trigger: "catch-up", outcome: "ok" },
    });
    await next.scheduler.stop();
  });

  it("runs a job on request without moving its slots, and refuses a second run while one is under way", async () => {
    const clock = new ManualClock("2026-01-12T10:00:00.000Z");
    let release: (summary: string) => void = () => {};
    const job: ScheduledJob = {
      name: "dunning",
      description: "dunning",
      cron: "0 7 * * 1-5",
      enabled: false,
      run: () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
    };
    const { scheduler } = boot(await storeFile(), clock, [job]);
    const run = scheduler.runNow("dunning", { kind: "token", id: "admin-1" });
    await expect(scheduler.runNow("dunning", { kind: "token", id: "admin-1" })).rejects.toThrow(
      JobBusyError,
    );
    release("2 letters sent");
    await expect(run).resolves.toMatchObject({ trigger: "manual", outcome: "ok", slot: null });
    expect(scheduler.list()[0]).toMatchObject({
      enabled: false,
      nextRunAt: null,
      lastSlot: null,
      lastRun: { trigger: "manual", summary: "2 letters sent" },
    });
    await scheduler.stop();
  });
});

import { type Clock, type Logger, silentLogger } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import { CronSchedule } from "./cron.js";
import { JobBusyError, JobUnavailableError, type ScheduledJob, UnknownJobError } from "./job.js";
import { type JobRunState, type RunTrigger, ScheduleRunStore } from "./run-store.js";
import { MAX_TIMER_DELAY_MS, realTimers, type Timers } from "./timers.js";

/** What GET /schedules shows of a job. */
export interface ScheduleView {
  job: string;
  description: string;
  expression: string;
  timeZone: string;
  enabled: boolean;
  /** Why the job cannot run (a setting it needs); null when it can. */
  unavailable: string | null;
  nextRunAt: string | null;
  lastSlot: string | null;
  running: boolean;
  lastRun: JobRunState["lastRun"];
}

export type RunResult = NonNullable<JobRunState["lastRun"]> & { job: string; slot: string | null };

const SCHEDULER: Actor = { kind: "system", id: "scheduler" };

interface Entry {
  job: ScheduledJob;
  schedule: CronSchedule;
  handle?: unknown;
  armedFor?: Date;
}

/**
 * Runs the gateway's jobs at their cron slots in the site's time zone,
 * durably: each job's last due slot is in the store (`schedule_runs`).
 *
 * - A first start takes the latest slot as done: nothing runs for the past;
 *   so does the first start after a job was turned off (or unavailable).
 * - A start that finds slots missed while the gateway was stopped runs the
 *   job once (not once per slot), for the latest of them.
 * - A slot is recorded as done when its run ends, ok or failed, so a
 *   failing job is tried again at its next slot, not in a loop; a stop in
 *   the middle of a run (crash, power cut) leaves the slot undone and the
 *   next start runs it again: at least once, and jobs bear a repeat (see
 *   ScheduledJob). A completed run is never repeated.
 * - Each job has its own timer and its own try/catch: one failing or slow
 *   job never holds up the others. A slot that falls due while the job is
 *   still running (on request) is skipped.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly running = new Map<string, Promise<RunResult>>();
  /** The scheduler's own runs with the re-arming that follows each. */
  private readonly settling = new Set<Promise<void>>();
  private readonly store: ScheduleRunStore;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly log: Logger;
  private started = false;

  constructor(
    private readonly deps: {
      db: Database;
      jobs: readonly ScheduledJob[];
      timeZone: string;
      clock: Clock;
      timers?: Timers;
      logger?: Logger;
    },
  ) {
    this.store = new ScheduleRunStore(deps.db);
    this.clock = deps.clock;
    this.timers = deps.timers ?? realTimers;
    this.log = (deps.logger ?? silentLogger).child({ module: "schedules" });
    for (const job of deps.jobs) {
      this.entries.set(job.name, { job, schedule: new CronSchedule(job.cron, deps.timeZone) });
    }
  }

  get timeZone(): string {
    return this.deps.timeZone;
  }

  /** Runs once each job whose slot passed while the gateway was stopped, then arms every timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) {
      const { job, schedule } = entry;
      if (!job.enabled || job.unavailable) {
        // Turned off, nothing is missed: turned on again, it starts afresh, as at a first start.
        this.store.forgetSlot(job.name);
        continue;
      }
      const now = this.clock.now();
      const state = this.store.get(job.name);
      if (state.runningSince) {
        this.log.warn(
          { job: job.name, since: state.runningSince },
          "the gateway stopped during this job's last run",
        );
      }
      if (state.lastSlot === null) {
        const baseline = schedule.latestAtOrBefore(now) ?? now;
        this.store.setBaseline(job.name, baseline.toISOString());
        this.arm(entry, now);
        continue;
      }
      const due = schedule.next(new Date(state.lastSlot));
      if (due && due.getTime() <= now.getTime()) {
        const slot = schedule.latestAtOrBefore(now) ?? due;
        this.log.info(
          { job: job.name, lastSlot: state.lastSlot, slot: slot.toISOString() },
          "a run was missed while the gateway was stopped: running it once now",
        );
        this.background(entry, "catch-up", slot);
      } else {
        this.arm(entry, now);
      }
    }
  }

  /** Disarms every timer and waits for the runs under way to end (their outcome is recorded). */
  async stop(): Promise<void> {
    this.started = false;
    for (const entry of this.entries.values()) this.disarm(entry);
    await this.whenIdle();
  }

  /** Resolves once no run is under way. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0 || this.settling.size > 0) {
      await Promise.allSettled([...this.running.values(), ...this.settling]);
    }
  }

  list(): ScheduleView[] {
    return [...this.entries.values()].map(({ job, schedule, armedFor }) => {
      const state = this.store.get(job.name);
      const armable = job.enabled && !job.unavailable;
      const next = armable ? (armedFor ?? schedule.next(this.clock.now())) : null;
      return {
        job: job.name,
        description: job.description,
        expression: schedule.expression,
        timeZone: schedule.timeZone,
        enabled: job.enabled,
        unavailable: job.unavailable ?? null,
        nextRunAt: next ? next.toISOString() : null,
        lastSlot: state.lastSlot,
        running: this.running.has(job.name),
        lastRun: state.lastRun,
      };
    });
  }

  /** Runs a job now, on request (a job turned off in the config too); its slots are left as they are. */
  runNow(name: string, actor: Actor): Promise<RunResult> {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new UnknownJobError(
        `no job "${name}": the jobs are ${[...this.entries.keys()].join(", ")}`,
      );
    }
    if (entry.job.unavailable) throw new JobUnavailableError(entry.job.unavailable);
    return this.execute(entry, "manual", null, actor);
  }

  private execute(
    entry: Entry,
    trigger: RunTrigger,
    slot: string | null,
    actor: Actor,
  ): Promise<RunResult> {
    const { job } = entry;
    if (this.running.has(job.name)) {
      return Promise.reject(
        new JobBusyError(`${job.name} is already running: wait for its run to end`),
      );
    }
    const startedAt = this.clock.now().toISOString();
    this.store.started(job.name, startedAt);
    const log = this.log.child({ job: job.name, trigger, ...(slot ? { slot } : {}) });
    const run = (async (): Promise<RunResult> => {
      let summary = "";
      let error: string | null = null;
      try {
        summary = await job.run({ actor, trigger, slot });
        log.info({ summary }, "job done");
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
        log.error({ err: failure }, "job failed; tried again at its next slot");
      }
      const result: RunResult = {
        job: job.name,
        slot,
        trigger,
        startedAt,
        finishedAt: this.clock.now().toISOString(),
        outcome: error === null ? "ok" : "failed",
        summary,
        error,
      };
      try {
        const { job: _job, slot: _slot, ...record } = result;
        this.store.finished(job.name, record, slot);
      } catch (failure) {
        // The store closed under us (a stop): the slot stays undone and the next start runs it.
        log.error({ err: failure }, "the run's outcome could not be recorded");
      }
      return result;
    })();
    this.running.set(job.name, run);
    void run.finally(() => this.running.delete(job.name));
    return run;
  }

  /** Sets the job's timer for its first slot after `after`. */
  private arm(entry: Entry, after: Date): void {
    this.disarm(entry);
    if (!this.started) return;
    const next = entry.schedule.next(after);
    if (!next) return;
    entry.armedFor = next;
    this.wait(entry, next);
  }

  private wait(entry: Entry, slot: Date): void {
    const delay = slot.getTime() - this.clock.now().getTime();
    entry.handle = this.timers.setTimeout(
      () => this.fire(entry, slot),
      Math.min(Math.max(delay, 0), MAX_TIMER_DELAY_MS),
    );
  }

  private disarm(entry: Entry): void {
    if (entry.handle !== undefined) this.timers.clearTimeout(entry.handle);
    entry.handle = undefined;
    entry.armedFor = undefined;
  }

  private fire(entry: Entry, slot: Date): void {
    entry.handle = undefined;
    if (!this.started) return;
    const now = this.clock.now();
    // A long wait is taken in steps, and a timer may fire a little early.
    if (now.getTime() < slot.getTime()) {
      this.wait(entry, slot);
      return;
    }
    // Slots that passed together (a suspended host) make one run, for the latest.
    const latest = entry.schedule.latestAtOrBefore(now) ?? slot;
    entry.armedFor = undefined;
    if (this.running.has(entry.job.name)) {
      this.log.warn(
        { job: entry.job.name, slot: latest.toISOString() },
        "slot skipped: the job was still running",
      );
      this.arm(entry, now);
      return;
    }
    this.background(entry, "schedule", latest);
  }

  /** A run of the scheduler's own, then the job's next timer; tracked so that stop() waits for both. */
  private background(entry: Entry, trigger: RunTrigger, slot: Date): void {
    const settled = this.execute(entry, trigger, slot.toISOString(), SCHEDULER)
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => this.arm(entry, this.clock.now()));
    this.settling.add(settled);
    void settled.finally(() => this.settling.delete(settled));
  }
}

import type { Database } from "better-sqlite3";

export type RunTrigger = "schedule" | "catch-up" | "manual";
export type RunOutcome = "ok" | "failed";

/** What the store keeps of a job: its last due slot, and its last run whatever started it. */
export interface JobRunState {
  job: string;
  /** The last slot the schedule ran (or, at a first start, took as its starting point). */
  lastSlot: string | null;
  /** Set while a run is under way; still set at start: the gateway stopped in the middle of one. */
  runningSince: string | null;
  lastRun: {
    trigger: RunTrigger;
    startedAt: string;
    finishedAt: string;
    outcome: RunOutcome;
    summary: string;
    error: string | null;
  } | null;
}

interface Row {
  job: string;
  last_slot: string | null;
  running_since: string | null;
  last_trigger: RunTrigger | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_outcome: RunOutcome | null;
  last_summary: string | null;
  last_error: string | null;
}

/** One row per job in the gateway's SQLite store: the durable half of the scheduler. */
export class ScheduleRunStore {
  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS schedule_runs (
      job TEXT PRIMARY KEY,
      last_slot TEXT,
      running_since TEXT,
      last_trigger TEXT,
      last_started_at TEXT,
      last_finished_at TEXT,
      last_outcome TEXT,
      last_summary TEXT,
      last_error TEXT
    ) STRICT`);
  }

  get(job: string): JobRunState {
    const row = this.db
      .prepare<[string], Row>("SELECT * FROM schedule_runs WHERE job = ?")
      .get(job);
    if (!row) return { job, lastSlot: null, runningSince: null, lastRun: null };
    return {
      job,
      lastSlot: row.last_slot,
      runningSince: row.running_since,
      lastRun:
        row.last_trigger && row.last_started_at && row.last_finished_at && row.last_outcome
          ? {
              trigger: row.last_trigger,
              startedAt: row.last_started_at,
              finishedAt: row.last_finished_at,
              outcome: row.last_outcome,
              summary: row.last_summary ?? "",
              error: row.last_error,
            }
          : null,
    };
  }

  /** A first start: the schedule counts from `slot`, without running what came before it. */
  setBaseline(job: string, slot: string): void {
    this.db
      .prepare(
        `INSERT INTO schedule_runs (job, last_slot) VALUES (?, ?)
         ON CONFLICT (job) DO UPDATE SET last_slot = excluded.last_slot`,
      )
      .run(job, slot);
  }

  /** The job is off: its slots are forgotten, so that turning it on again runs nothing for the past. */
  forgetSlot(job: string): void {
    this.db.prepare("UPDATE schedule_runs SET last_slot = NULL WHERE job = ?").run(job);
  }

  started(job: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO schedule_runs (job, running_since) VALUES (?, ?)
         ON CONFLICT (job) DO UPDATE SET running_since = excluded.running_since`,
      )
      .run(job, at);
  }

  /**
   * The run is over: its outcome, and (for a scheduled run) the slot it
   * stood for, in one statement — a slot is marked done only by a run that
   * reached its end, ok or failed.
   */
  finished(job: string, run: NonNullable<JobRunState["lastRun"]>, slot: string | null): void {
    this.db
      .prepare(
        `INSERT INTO schedule_runs (job, last_slot, running_since, last_trigger, last_started_at, last_finished_at, last_outcome, last_summary, last_error)
         VALUES (@job, @slot, NULL, @trigger, @startedAt, @finishedAt, @outcome, @summary, @error)
         ON CONFLICT (job) DO UPDATE SET
           last_slot = COALESCE(excluded.last_slot, schedule_runs.last_slot),
           running_since = NULL,
           last_trigger = excluded.last_trigger,
           last_started_at = excluded.last_started_at,
           last_finished_at = excluded.last_finished_at,
           last_outcome = excluded.last_outcome,
           last_summary = excluded.last_summary,
           last_error = excluded.last_error`,
      )
      .run({ job, slot, ...run });
  }
}

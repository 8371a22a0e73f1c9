import type { Actor } from "../ledger/gateway-ledger.js";
import type { RunTrigger } from "./run-store.js";

/** What a run is told: who asked (the scheduler itself, or an admin), why, and the slot it stands for. */
export interface JobContext {
  actor: Actor;
  trigger: RunTrigger;
  /** The due slot (ISO UTC) of a scheduled or catch-up run; null for a run on request. */
  slot: string | null;
}

/**
 * A job the scheduler runs. A run may be repeated once after a crash in
 * its middle (see Scheduler), so each job's effect must bear it: dunning
 * skips letters already recorded as sent, reconciliation announces a
 * discrepancy once, the payment-letters export keeps its own cursor.
 */
export interface ScheduledJob {
  /** The name in the API's path and the store: `dunning`, `reconciliation`, `exports`. */
  name: string;
  description: string;
  cron: string;
  /** false: never run on its own (turned off in the config); still runnable on request. */
  enabled: boolean;
  /** Why it cannot run at all (a setting it needs is missing): never armed, refused on request. */
  unavailable?: string;
  /** Does the work and says what it did in one line; throws when it failed. */
  run(context: JobContext): Promise<string> | string;
}

export class UnknownJobError extends Error {
  override name = "UnknownJobError";
}

export class JobUnavailableError extends Error {
  override name = "JobUnavailableError";
}

export class JobBusyError extends Error {
  override name = "JobBusyError";
}

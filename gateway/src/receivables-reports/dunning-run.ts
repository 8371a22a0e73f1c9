import { dirname, join } from "node:path";
import type { Clock } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import {
  DirectorySink,
  type DunningRecord,
  type DunningRunResult,
  type LetterSink,
  sendLetters,
  WebhookSink,
} from "./outbox.js";
import { type DunningSettings, dunningQueue } from "./service.js";

/** A dunning run refused before anything was sent: `path` names the setting or field at fault. */
export class DunningRunRefused extends Error {
  override name = "DunningRunRefused";
  constructor(
    readonly code: "invalid_input" | "no_outbox",
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** The calendar date (YYYY-MM-DD) at `now` in `timeZone`; the process's zone when absent. */
export function dateIn(now: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/**
 * The latest date that is "today" somewhere that matters for the site: the
 * site's calendar day (`gateway.timeZone`, else the gateway host's zone) or
 * the UTC day the gateway's reports default to, whichever is later. A date
 * after it is in the future for everyone at the site.
 */
export function latestToday(now: Date, timeZone?: string): string {
  const local = dateIn(now, timeZone);
  const utc = now.toISOString().slice(0, 10);
  return local > utc ? local : utc;
}

/**
 * Where letters go: the webhook of `dunning.webhook` in the gateway config,
 * else a directory beside the database (so that it is backed up and found
 * with it); none for a database in memory.
 */
export function letterSinkFor(db: Database, webhook: string | undefined): LetterSink | undefined {
  if (webhook) return new WebhookSink(webhook);
  if (db.name && db.name !== ":memory:") {
    return new DirectorySink(join(dirname(db.name), "outbox", "dunning"));
  }
  return undefined;
}

/**
 * The run under way per store: a scheduled run and a POST /dunning/run at
 * the same moment would both find a letter not yet recorded as sent and
 * both deliver it. Runs over one store take turns instead; the second finds
 * the letters sent.
 */
const runsUnderWay = new WeakMap<Database, Promise<unknown>>();

export interface DunningRunDeps {
  db: Database;
  settings: DunningSettings;
  record: DunningRecord;
  clock: Clock;
  /** `dunning.webhook` of the gateway config. */
  webhook?: string;
  /** `gateway.timeZone`: what "today" means for the site. */
  timeZone?: string;
}

/**
 * One dunning run, what `POST /dunning/run` and the scheduled job both do:
 * the letters due at `asOf` (default the site's today) go to the sink and
 * each one sent is recorded (table and gateway ledger); held letters wait
 * for review; a letter the sink refuses stays due. A run dated after today
 * is refused: it would block customers not yet late.
 */
export async function runDunning(
  deps: DunningRunDeps,
  options: { asOf?: string; actor: Actor },
): Promise<DunningRunResult> {
  const now = deps.clock.now();
  const latest = latestToday(now, deps.timeZone);
  if (options.asOf !== undefined && options.asOf > latest) {
    throw new DunningRunRefused(
      "invalid_input",
      `asOf ${options.asOf} is after today (${latest}): a dunning run is dated today or earlier; use GET /dunning?asOf= to preview a later date`,
      "asOf",
    );
  }
  const sink = letterSinkFor(deps.db, deps.webhook);
  if (!sink) {
    throw new DunningRunRefused(
      "no_outbox",
      "the gateway's database is in memory, so there is no outbox directory: set dunning.webhook in the gateway config",
      "dunning.webhook",
    );
  }
  const asOf = options.asOf ?? dateIn(now, deps.timeZone);
  const previous = runsUnderWay.get(deps.db) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() => {
      const letters = dunningQueue(deps.db, asOf, deps.settings.get(), deps.record);
      return sendLetters(letters, sink, deps.record, options.actor, () => deps.clock.now());
    });
  runsUnderWay.set(deps.db, run);
  try {
    return await run;
  } finally {
    if (runsUnderWay.get(deps.db) === run) runsUnderWay.delete(deps.db);
  }
}

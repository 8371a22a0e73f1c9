import { Cron } from "croner";

/** The zone the process runs in (TZ, else the host's): the default when the config names none. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * One cron expression read in one IANA time zone, by croner (no timers of
 * its own: the scheduler arms them). On a daylight-saving change croner
 * treats a fixed-time job as a person would: a 02:30 that does not exist
 * runs at 03:00, a 02:30 that happens twice runs once.
 */
export class CronSchedule {
  private readonly cron: Cron;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    this.cron = new Cron(expression, { paused: true, mode: "5-part", timezone: timeZone });
  }

  /** The first slot strictly after `after`, or null if the expression never fires again. */
  next(after: Date): Date | null {
    return this.cron.nextRun(after);
  }

  /** The latest slot at or before `now`, or null if there was none. */
  latestAtOrBefore(now: Date): Date | null {
    let latest = this.cron.previousRuns(1, now)[0] ?? null;
    // croner leaves out a slot at exactly `now`; the next one after `latest` is it.
    const following = latest ? this.cron.nextRun(latest) : null;
    if (following && following.getTime() <= now.getTime()) latest = following;
    return latest;
  }
}

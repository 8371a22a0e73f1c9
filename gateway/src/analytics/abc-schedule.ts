import {
  type AbcReportView,
  type Clock,
  type CostMethod,
  type Logger,
  silentLogger,
} from "@comptoir/contracts";
import type { AnalyticsConfig } from "@comptoir/firmware-config";
import type { ValuationBook } from "../valuation/book.js";
import { abcReport } from "./abc.js";
import type { AbcStore } from "./abc-store.js";
import { DAY_MS, type Names } from "./rotation.js";

const HOUR_MS = 3_600_000;
/** setTimeout's longest delay (about 24.8 days); a longer wait is taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Timers the schedule arms, injected so that tests drive them. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (run, ms) => {
    const timer = setTimeout(run, ms);
    // A pending run must not keep the process alive on shutdown.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AbcRunDeps {
  book: () => ValuationBook;
  store: AbcStore;
  config: () => AnalyticsConfig["abc"];
  method: CostMethod;
  currency: string;
  names: Names;
  clock: Clock;
}

/** Computes ABC over the configured period ending now and records it as a run. */
export function recordAbcRun(deps: AbcRunDeps): AbcReportView {
  const now = deps.clock.now();
  const config = deps.config();
  const period = {
    from: new Date(now.getTime() - config.periodDays * DAY_MS).toISOString(),
    to: now.toISOString(),
  };
  const report = abcReport(deps.book(), period, config, deps.names, {
    method: deps.method,
    currency: deps.currency,
  });
  return deps.store.record(report, now.toISOString());
}

/**
 * Records an ABC run every `analytics.abc.everyHours` (0: never). The time
 * of the last run is the store's (`AbcStore.lastRunAt`, runs on request
 * included), so the schedule survives a restart: a run that fell due while
 * the gateway was down happens once at start, and the next is one period
 * after it, never a burst of the runs missed. When the timer fires it looks
 * at the store again, so a run on request in between pushes the next one
 * back instead of doubling it.
 */
export class AbcSchedule {
  private handle: unknown;
  private running = false;
  private readonly log: Logger;
  private readonly timers: Timers;

  constructor(private readonly deps: AbcRunDeps & { timers?: Timers; logger?: Logger }) {
    this.log = (deps.logger ?? silentLogger).child({ module: "analytics:abc" });
    this.timers = deps.timers ?? realTimers;
  }

  /** Runs now if a run is due (never recorded, or one period passed), then arms the next. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** When the next run falls due (ISO UTC), or null: not scheduled. */
  nextRunAt(): string | null {
    const everyMs = this.deps.config().everyHours * HOUR_MS;
    if (everyMs <= 0) return null;
    const last = this.deps.store.lastRunAt();
    return last === null
      ? this.deps.clock.now().toISOString()
      : new Date(Date.parse(last) + everyMs).toISOString();
  }

  private tick(): void {
    this.handle = undefined;
    if (!this.running) return;
    const next = this.nextRunAt();
    if (next === null) return;
    const now = this.deps.clock.now().getTime();
    let due = Date.parse(next);
    if (due <= now) {
      try {
        const run = recordAbcRun(this.deps);
        this.log.info({ runAt: run.runAt, products: run.rows.length }, "ABC classes recorded");
      } catch (error) {
        // Retry one period later rather than in a loop: the book failing now will likely fail again.
        this.log.error({ err: error }, "ABC run failed; next try one period later");
      }
      due = now + this.deps.config().everyHours * HOUR_MS;
    }
    this.handle = this.timers.setTimeout(
      () => this.tick(),
      Math.min(Math.max(due - now, 0), MAX_DELAY_MS),
    );
  }
}

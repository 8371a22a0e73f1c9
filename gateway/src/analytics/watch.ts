import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { WriteCounts } from "../store/write-counts.js";

/** One kind of alert the watch runs: its check raises (and clears) alerts, once per crossing. */
export interface AlertCheck {
  name: string;
  check(): unknown[];
  /** "change": after goods, invoices or orders changed; "time": then too (a unit leaving clears a slow mover), and as time passes. */
  on: "change" | "time";
}

export interface AnalyticsWatchOptions {
  db: Database.Database;
  checks: AlertCheck[];
  clock?: Clock;
  logger?: Logger;
  /** How often time-based checks run (gateway config `analytics.checkEverySeconds`). */
  everySeconds: number;
  /** How often the watch looks for changes; default 2 s. */
  pollMs?: number;
  /** Called after invoices changed, once the checks ran (costs may have moved: the counters' catalog). */
  afterInvoices?: () => void;
}

/**
 * Runs the analytics alerts in the background, so that a margin under its
 * floor, a product to reorder or a slow mover reaches open dashboards
 * without anyone asking: after new goods (`changed()`, called after each
 * ingest batch), after invoices or orders changed (their trigger-kept
 * write counts tell, whichever route or import wrote them), and every
 * `everySeconds` for what time alone changes. A failing check is logged and
 * the others still run.
 */
export class AnalyticsWatch {
  private readonly log: Logger;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;
  private lastTimed = 0;
  private seen = "";
  private readonly look: () => string;

  constructor(private readonly options: AnalyticsWatchOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: "analytics" });
    this.clock = options.clock ?? systemClock;
    const counts = new WriteCounts(options.db, ["invoices", "orders"]);
    this.look = () => counts.read().join("|");
  }

  start(): void {
    this.timer = setInterval(() => this.run(), this.options.pollMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Goods changed (an ingest batch stored movements). */
  changed(): void {
    this.dirty = true;
  }

  /** Runs what is due now; returns how many alerts were raised or cleared. */
  run(): number {
    const now = this.clock.now().getTime();
    const signature = this.look();
    const invoicesMoved = signature.split("|")[0] !== this.seen.split("|")[0];
    const changed = this.dirty || signature !== this.seen;
    const timed = now - this.lastTimed >= this.options.everySeconds * 1000;
    if (!changed && !timed) return 0;
    this.dirty = false;
    this.seen = signature;
    if (timed) this.lastTimed = now;
    let count = 0;
    for (const check of this.options.checks) {
      if (!changed && check.on === "change") continue;
      try {
        count += check.check().length;
      } catch (error) {
        this.log.error({ err: error, check: check.name }, "analytics check failed");
      }
    }
    if (invoicesMoved) this.options.afterInvoices?.();
    return count;
  }
}

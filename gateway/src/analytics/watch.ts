import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";

/**
 * A count per table of the rows written to it, kept by triggers, so that the
 * watch tells a change from a 2-second look at two rows instead of a scan of
 * every invoice (about 10 ms at 100 000 invoices, on the event loop).
 */
const CHANGES_SCHEMA = ["invoices", "orders"]
  .map(
    (table) => `
INSERT OR IGNORE INTO analytics_watch_changes (name, n) VALUES ('${table}', 0);
CREATE TRIGGER IF NOT EXISTS analytics_watch_${table}_inserted AFTER INSERT ON ${table} BEGIN
  UPDATE analytics_watch_changes SET n = n + 1 WHERE name = '${table}';
END;
CREATE TRIGGER IF NOT EXISTS analytics_watch_${table}_updated AFTER UPDATE ON ${table} BEGIN
  UPDATE analytics_watch_changes SET n = n + 1 WHERE name = '${table}';
END;
CREATE TRIGGER IF NOT EXISTS analytics_watch_${table}_deleted AFTER DELETE ON ${table} BEGIN
  UPDATE analytics_watch_changes SET n = n + 1 WHERE name = '${table}';
END;`,
  )
  .join("\n");

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
    options.db.exec(
      "CREATE TABLE IF NOT EXISTS analytics_watch_changes (name TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT",
    );
    options.db.exec(CHANGES_SCHEMA);
    const counts = options.db.prepare<[], { invoices: number; orders: number }>(
      `SELECT (SELECT n FROM analytics_watch_changes WHERE name = 'invoices') AS invoices,
              (SELECT n FROM analytics_watch_changes WHERE name = 'orders') AS orders`,
    );
    this.look = () => {
      const c = counts.get();
      return `${c?.invoices}|${c?.orders}`;
    };
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

import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type { Catalog } from "../catalog/service.js";
import type { LiveEvents } from "../live/events.js";
import type { Store } from "../store/store.js";
import type { WebhookSink } from "../webhooks/node-events.js";
import { runReconciliation } from "./service.js";
import { DiscrepancyAnnouncer } from "./watch.js";

export interface PeriodicReconciliationOptions {
  store: Store;
  catalog: Catalog;
  events: LiveEvents;
  clock?: Clock;
  logger?: Logger;
  /** The outbox: discrepancy.opened and discrepancy.resolved, with the announcement. */
  webhooks?: WebhookSink;
  /** The shortest time between two runs. Default 60 s. */
  everyMs?: number;
}

/**
 * Runs the reconciliation in the background so that new discrepancies reach
 * open dashboards without anyone asking: after new goods or invoices, at
 * most once per `everyMs`, and never more than a tenth of the time (a run
 * over a large store takes seconds, and the gateway has ingest to do).
 */
export class PeriodicReconciliation {
  private readonly announcer: DiscrepancyAnnouncer;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly everyMs: number;
  private timer: NodeJS.Timeout | undefined;
  private dirty = true;
  private nextAllowed = 0;
  private stopped = false;
  /** Invoices come through several routes and imports: a cheap look at the table tells a change. */
  private readonly invoicesNow: () => string;
  private invoicesSeen = "";

  constructor(private readonly options: PeriodicReconciliationOptions) {
    this.announcer = new DiscrepancyAnnouncer(options.store.db, options.events, options.webhooks);
    this.log = (options.logger ?? silentLogger).child({ module: "reconciliation" });
    this.clock = options.clock ?? systemClock;
    this.everyMs = options.everyMs ?? 60_000;
    const look = options.store.db.prepare<[], { n: number; r: number }>(
      "SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS r FROM invoices",
    );
    this.invoicesNow = () => {
      const row = look.get();
      return `${row?.n}:${row?.r}`;
    };
  }

  start(): void {
    this.timer = setInterval(() => this.maybeRun(), Math.min(this.everyMs, 5_000));
    this.timer.unref();
  }

  /** Something reconciliation looks at changed (goods synced, invoices recorded). */
  changed(): void {
    this.dirty = true;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Runs now if something changed and the pace allows; returns how many new discrepancies went out. */
  maybeRun(): number {
    const now = this.clock.now();
    if (this.stopped || now.getTime() < this.nextAllowed) return 0;
    const invoices = this.invoicesNow();
    if (!this.dirty && invoices === this.invoicesSeen) return 0;
    this.dirty = false;
    this.invoicesSeen = invoices;
    const started = performance.now();
    try {
      const report = runReconciliation(this.options.store, this.options.catalog, { now });
      const announced = this.announcer.announce(report.discrepancies, report.asOf, {
        complete: true,
        graceDays: report.graceDays,
      });
      const tookMs = performance.now() - started;
      this.nextAllowed = now.getTime() + Math.max(this.everyMs, tookMs * 10);
      if (announced > 0) this.log.info({ announced, tookMs }, "new discrepancies");
      return announced;
    } catch (error) {
      this.log.error({ err: error }, "background reconciliation failed; the API still answers");
      this.nextAllowed = now.getTime() + this.everyMs;
      return 0;
    }
  }

  /**
   * Runs now, changed or not: the scheduler's `reconciliation` job (every 15
   * minutes by default, `schedules.reconciliation`). A discrepancy can appear
   * with time alone (goods shipped whose grace period for an invoice ran
   * out), which no change would trigger. Throws when the run fails, so that
   * the schedule records it as failed.
   */
  runNow(): { discrepancies: number; announced: number } {
    const now = this.clock.now();
    this.dirty = false;
    this.invoicesSeen = this.invoicesNow();
    const report = runReconciliation(this.options.store, this.options.catalog, { now });
    const announced = this.announcer.announce(report.discrepancies, report.asOf, {
      complete: true,
      graceDays: report.graceDays,
    });
    this.nextAllowed = now.getTime() + this.everyMs;
    if (announced > 0) this.log.info({ announced }, "new discrepancies");
    return { discrepancies: report.discrepancies.length, announced };
  }
}

import type { AnalyticsAlertView, Clock } from "@comptoir/contracts";
import type { AnalyticsConfig } from "@comptoir/firmware-config";
import type { ValuationBook } from "../valuation/book.js";
import type { AnalyticsAlerts } from "./alerts.js";
import { DAY_MS, daysBetween, type Names, round } from "./rotation.js";

export interface SlowMoverWatchDeps {
  book: () => ValuationBook;
  alerts: AnalyticsAlerts;
  /** The config's `analytics.slowMover`, read at each check (it may change). */
  config: () => AnalyticsConfig["slowMover"];
  clock: Clock;
  names?: Names;
}

/** Per product on site: its units, the oldest receipt, and the units past the age limit. */
interface OnSite {
  count: number;
  oldest: { epc: string; receivedAt: string };
  tooOld: number;
}

/**
 * Slow movers and old stock, which only time makes happen, checked as time
 * passes (the analytics watch runs `check` every `checkEverySeconds`):
 * - `slow-mover` (subject: the SKU) when a product has units on site and
 *   none has left for `slowMover.days` days. The days count from its last
 *   exit, or from the receipt of its oldest unit on site when that is later
 *   (none ever left, or it was out of stock since: nothing could leave while
 *   there was nothing to take). Cleared when a unit leaves or none is left.
 * - `old-stock` (subject: the SKU) when a unit of it has been on site longer
 *   than `slowMover.maxAgeDays`, with how many and the oldest; cleared when
 *   none is that old any more.
 * Each is raised once per crossing (the alerts keep one open per subject).
 */
export class SlowMoverWatch {
  /** For the analytics watch (`AlertCheck`): a time-based check. */
  readonly name = "slow-movers";
  readonly on = "time";

  constructor(private readonly deps: SlowMoverWatchDeps) {}

  /** Raises and clears what crossed since the last check; returns the alerts it raised or cleared. */
  check(): AnalyticsAlertView[] {
    const { days, maxAgeDays } = this.deps.config();
    const book = this.deps.book();
    const now = this.deps.clock.now();
    const nowIso = now.toISOString();
    const ageLimitMs = now.getTime() - maxAgeDays * DAY_MS;
    const names = this.deps.names ?? ((sku: string) => sku);

    const onSite = new Map<string, OnSite>();
    for (const unit of book.onSite()) {
      let figures = onSite.get(unit.sku);
      if (!figures) {
        figures = { count: 0, oldest: unit, tooOld: 0 };
        onSite.set(unit.sku, figures);
      }
      figures.count++;
      // Compared as instants: ISO strings with and without milliseconds do not sort alike.
      const ms = Date.parse(unit.receivedAt);
      if (ms < Date.parse(figures.oldest.receivedAt)) figures.oldest = unit;
      if (ms < ageLimitMs) figures.tooOld++;
    }

    const changed: AnalyticsAlertView[] = [];
    const keep = (alert: AnalyticsAlertView | undefined) => {
      if (alert) changed.push(alert);
    };
    const slow = new Set<string>();
    const old = new Set<string>();
    for (const [sku, figures] of onSite) {
      const exits = book.exits({ sku, to: nowIso });
      const out = exits[exits.length - 1]?.at;
      const since =
        out !== undefined && Date.parse(out) > Date.parse(figures.oldest.receivedAt)
          ? out
          : figures.oldest.receivedAt;
      const idle = daysBetween(since, nowIso);
      if (idle >= days) {
        slow.add(sku);
        keep(
          this.deps.alerts.raise({
            kind: "slow-mover",
            subject: sku,
            sku,
            message: `${names(sku)} (${sku}): nothing has left for ${Math.floor(idle)} days (limit ${days}), ${figures.count} on site`,
            detail: {
              days: round(idle, 1),
              limitDays: days,
              since,
              lastOut: out ?? null,
              onSite: figures.count,
            },
          }),
        );
      }
      if (figures.tooOld > 0) {
        old.add(sku);
        const age = daysBetween(figures.oldest.receivedAt, nowIso);
        keep(
          this.deps.alerts.raise({
            kind: "old-stock",
            subject: sku,
            sku,
            message: `${names(sku)} (${sku}): ${figures.tooOld} unit(s) on site for more than ${maxAgeDays} days, the oldest ${figures.oldest.epc} for ${Math.floor(age)} days`,
            detail: {
              count: figures.tooOld,
              oldestEpc: figures.oldest.epc,
              oldestReceivedAt: figures.oldest.receivedAt,
              ageDays: round(age, 1),
              maxAgeDays,
            },
          }),
        );
      }
    }
    // Clear the open ones no longer crossing: only those open are looked at, not every product.
    for (const [kind, crossing] of [
      ["slow-mover", slow],
      ["old-stock", old],
    ] as const) {
      for (const alert of this.deps.alerts.list({ kind, limit: Number.MAX_SAFE_INTEGER })) {
        if (!crossing.has(alert.subject)) keep(this.deps.alerts.clear(kind, alert.subject));
      }
    }
    return changed;
  }
}

import type { AnalyticsAlertView, Clock } from "@comptoir/contracts";
import type { Store } from "../store/store.js";
import type { AnalyticsAlerts } from "./alerts.js";
import { type ReorderFigure, ReorderFigures } from "./reorder-figures.js";
import type { ReorderRules } from "./reorder-rules.js";
import { ReorderStock } from "./reorder-stock.js";

export interface ReorderWatchOptions {
  store: Store;
  /** The rules in force (the API's, else the config's): the same object the routes use, or another over the same store. */
  rules: ReorderRules;
  alerts: AnalyticsAlerts;
  clock?: Clock;
  /** A product's name for the alert's sentence (the catalog's); the SKU when absent. */
  name?: (sku: string) => string | undefined;
  /** How long a window's demand is reused between checks; 60 s by default (see ReorderFigures). */
  demandTtlMs?: number;
}

/**
 * Reorder crossings (issue 16): a `reorder` alert (subject `sku` or
 * `sku@zone`) when available stock falls to or below the point, once per
 * crossing. The alert stays open while stock stays at or below the point
 * plus the rule's hysteresis, so stock wobbling around the point raises
 * nothing more; it clears only above point + hysteresis, and the next fall
 * raises again. Open alerts live in the store (AnalyticsAlerts), so a
 * restart neither repeats nor forgets a crossing. An alert whose rule was
 * removed is cleared.
 *
 * Run `check()` after each ingest batch is stored and after each order
 * change (placed, released, cancelled, shipped): it reads the counts and
 * reservations afresh, in four queries whatever the number of rules.
 */
export class ReorderWatch {
  private readonly figures: ReorderFigures;

  constructor(private readonly options: ReorderWatchOptions) {
    this.figures = new ReorderFigures(new ReorderStock(options.store), options.rules, {
      ...(options.clock ? { clock: options.clock } : {}),
      demandTtlMs: options.demandTtlMs ?? 60_000,
    });
  }

  /** Raises and clears what crossed since the last check; returns those alerts. */
  check(): AnalyticsAlertView[] {
    const { alerts } = this.options;
    const open = new Map(
      alerts.list({ kind: "reorder", limit: 1_000_000 }).map((alert) => [alert.subject, alert]),
    );
    const changed: AnalyticsAlertView[] = [];
    for (const figure of this.figures.all()) {
      const isOpen = open.delete(figure.subject);
      if (figure.available <= figure.point) {
        if (isOpen) continue;
        const raised = alerts.raise({
          kind: "reorder",
          subject: figure.subject,
          sku: figure.sku,
          message: this.message(figure),
          detail: detail(figure),
        });
        if (raised) changed.push(raised);
      } else if (isOpen && figure.available > figure.point + figure.hysteresis) {
        const cleared = alerts.clear("reorder", figure.subject);
        if (cleared) changed.push(cleared);
      }
    }
    // What is left open has no rule any more: nothing will ever clear it otherwise.
    for (const subject of open.keys()) {
      const cleared = alerts.clear("reorder", subject);
      if (cleared) changed.push(cleared);
    }
    return changed;
  }

  private message(figure: ReorderFigure): string {
    const name = this.options.name?.(figure.sku);
    const what = name && name !== figure.sku ? `${figure.sku} (${name})` : figure.sku;
    const where = figure.zone === null ? "" : ` in zone ${figure.zone}`;
    const counted =
      figure.reserved > 0
        ? `${figure.onSite} on site − ${figure.reserved} reserved by open orders`
        : `${figure.onSite} on site`;
    const count = figure.suggested / figure.pack;
    const packs =
      figure.pack > 1 ? ` (${count} pack${count > 1 ? "s" : ""} of ${figure.pack})` : "";
    return `${what}${where}: ${figure.available} available (${counted}), at or below its reorder point ${figure.point} — order ${figure.suggested}${packs} to reach ${figure.target}`;
  }
}

function detail(figure: ReorderFigure): Record<string, unknown> {
  const { subject: _subject, ...figures } = figure;
  return figures;
}

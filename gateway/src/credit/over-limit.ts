import {
  type Clock,
  type CreditOverviewView,
  DEFAULT_LOCALE,
  formatMoney,
  type Logger,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";

const SYSTEM: Actor = { kind: "system", id: "credit" };

/** A customer's exposure (as `CreditService.statement()` has it) against its limit (null: unlimited). */
export interface Standing {
  customer: string;
  name: string;
  currency: string;
  exposure: number;
  limit: number | null;
}

/** A customer over its credit limit: exposure > limit. Equal is within; unlimited is never over. */
export interface OverLimit extends Standing {
  limit: number;
  /** exposure − limit, more than 0. */
  over: number;
}

/**
 * The dashboard overview's credit: the customers' exposures summed, and who
 * is over the limit now (largest overrun first). Its shape is the dashboard's
 * too: defined once, in contracts (GET /dashboard/credit).
 */
export type CreditOverview = CreditOverviewView;

export function overLimitOf(standing: Standing): OverLimit | undefined {
  const { limit } = standing;
  if (limit === null || standing.exposure <= limit) return undefined;
  return { ...standing, limit, over: standing.exposure - limit };
}

/** The alerts' amounts, with their currency, in the site's locale ("5 750,96 €" in fr-FR). */
export function overLimitMessage(over: OverLimit, locale = DEFAULT_LOCALE): string {
  const amount = (minor: number) => formatMoney(minor, over.currency, locale);
  return `over credit limit: ${over.name} (${over.customer}), exposure ${amount(over.exposure)} > limit ${amount(over.limit)}, ${amount(over.over)} over`;
}

export function withinLimitMessage(standing: Standing, locale = DEFAULT_LOCALE): string {
  const amount = (minor: number) => formatMoney(minor, standing.currency, locale);
  const limit = standing.limit === null ? "(now unlimited)" : `≤ limit ${amount(standing.limit)}`;
  return `back within credit limit: ${standing.name} (${standing.customer}), exposure ${amount(standing.exposure)} ${limit}`;
}

/**
 * Raises "over credit limit" once per crossing. The customers said to be
 * over, and since when, are kept in the store: a recompute that finds a
 * customer still over (any republish, the one at start, the one at
 * midnight) raises nothing, nor does a restart. The first recompute that
 * finds it within the limit again (or unlimited) removes it, records so and
 * says so with an `info` alert, which tells the overview to stop showing it
 * as current; a later crossing is a new alert.
 */
export class LimitWatch {
  private readonly sinceOf;
  private readonly insert;
  private readonly remove;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    private readonly options: {
      clock: Clock;
      log: Logger;
      events: LiveEvents | undefined;
      /** The site's locale the alerts write amounts in; the default locale when absent. */
      locale?: string;
    },
  ) {
    db.exec(
      "CREATE TABLE IF NOT EXISTS credit_over_limit (customer TEXT PRIMARY KEY, since TEXT NOT NULL) STRICT",
    );
    this.sinceOf = db.prepare<[string], { since: string }>(
      "SELECT since FROM credit_over_limit WHERE customer = ?",
    );
    this.insert = db.prepare<[string, string]>(
      "INSERT INTO credit_over_limit (customer, since) VALUES (?, ?) ON CONFLICT (customer) DO NOTHING",
    );
    this.remove = db.prepare<[string]>("DELETE FROM credit_over_limit WHERE customer = ?");
  }

  /**
   * Looks at a customer's freshly computed standing: on a crossing, a
   * gateway-ledger entry and a live-feed alert. `announced`: this
   * crossing's live alert is already out (limit exceeded while offline).
   */
  observe(
    standing: Standing,
    options: { announced?: boolean } = {},
  ): "over" | "within" | undefined {
    const over = overLimitOf(standing);
    const { customer, exposure, limit } = standing;
    const change = this.db.transaction(() => {
      if (over) {
        if (this.insert.run(customer, this.options.clock.now().toISOString()).changes === 0) return;
        this.ledger.record(
          "credit.over-limit",
          { customer, exposure, limit, over: over.over },
          SYSTEM,
        );
        return "over" as const;
      }
      if (this.remove.run(customer).changes === 0) return;
      this.ledger.record("credit.within-limit", { customer, exposure, limit }, SYSTEM);
      return "within" as const;
    })();
    const { events, log } = this.options;
    if (change === "over" && over) {
      const message = overLimitMessage(over, this.options.locale);
      log.warn({ over }, message);
      if (!options.announced) {
        events?.publish?.("alert", { level: "warning", message, customer, code: "over-limit" });
      }
    } else if (change === "within") {
      const message = withinLimitMessage(standing, this.options.locale);
      log.info({ standing }, message);
      events?.publish?.("alert", { level: "info", message, customer, code: "within-limit" });
    }
    return change;
  }

  /** The customers' standings summed, and those over their limit now with their crossing's time. */
  overview(currency: string, standings: readonly Standing[]): CreditOverview {
    let exposure = 0;
    const overLimit: CreditOverview["overLimit"] = [];
    for (const standing of standings) {
      exposure += standing.exposure;
      const over = overLimitOf(standing);
      if (!over) continue;
      const since = this.sinceOf.get(standing.customer)?.since ?? null;
      overLimit.push({ ...over, since, message: overLimitMessage(over, this.options.locale) });
    }
    overLimit.sort((a, b) => b.over - a.over || a.customer.localeCompare(b.customer));
    return { currency, exposure, customers: standings.length, overLimit };
  }
}

import {
  type Clock,
  type CreditDecision,
  type CreditPolicy,
  type CreditSnapshot,
  decideCredit,
  type Logger,
  OVERDUE_ITEMS_MAX,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { Catalog } from "../catalog/service.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { OpenItem, ReceivablesQueries } from "../receivables/queries.js";
import { prepared } from "../store/prepared.js";
import { computeExposure, type Exposure, withOpenOrdersReread } from "./exposure.js";
import type { CreditOverview, LimitWatch, Standing } from "./over-limit.js";
import type { RetainedPublisher } from "./publisher.js";

/** A customer's credit as `GET /credit/:customer` answers it. */
export interface CreditStatement {
  customer: string;
  name: string;
  currency: string;
  /** null: unlimited. */
  limit: number | null;
  unlimited: boolean;
  exposure: Exposure;
  /** limit − exposure; null when unlimited. */
  available: number | null;
  overdue: { amount: number; since: string | null; items: OpenItem[] };
  status: CreditSnapshot["status"];
  policy: CreditPolicy;
  snapshot: { version: number; asOf: string | null };
}

export interface CreditStatementsDeps {
  db: Database.Database;
  receivables: ReceivablesQueries;
  catalog: Catalog;
  ledger: GatewayLedger;
  /** The versions last published: a statement says which snapshot the counters hold. */
  publisher: Pick<RetainedPublisher, "lastSnapshot">;
  limits: LimitWatch;
  policy: CreditPolicy;
  /** `credit.openOrdersInExposure`: approved orders not yet shipped count (default true). */
  openOrdersInExposure?: boolean;
  currency: string;
  /** The site's locale the verdicts' amounts are written in (the default locale when absent). */
  locale?: string;
  clock: Clock;
  log: Logger;
}

/**
 * A customer's credit on the live figures: the statement (exposure,
 * overdue, status), the dashboard overview, and the online check of a sale
 * (the same `decideCredit` the counters run). Reads only, except that a
 * check is recorded in the gateway ledger.
 */
export class CreditStatements {
  private lastLetter: Statement<[string], { block_credit: number }> | undefined;

  constructor(private readonly deps: CreditStatementsDeps) {}

  /** The customer's credit, itemised; undefined for an unknown customer. */
  statement(customer: string): CreditStatement | undefined {
    const { catalog, receivables, currency, policy, publisher } = this.deps;
    const record = catalog.customer(customer);
    if (!record) return undefined;
    const limit =
      record.creditLimit === "unlimited" ? null : this.limitInSiteCurrency(record.creditLimit);
    // Read once: the exposure counts them, the overdue items are their instalments.
    const openInvoices = receivables.openInvoices(customer);
    const exposure = computeExposure(this.deps.db, receivables, catalog, customer, currency, {
      openOrders: this.deps.openOrdersInExposure,
      openInvoices,
    });
    const items = receivables
      .openItems(customer, this.today(), openInvoices)
      .filter((item) => item.daysOverdue > 0);
    const overdue = {
      amount: items.reduce((sum, item) => sum + item.open, 0),
      since: items[0]?.dueDate ?? null,
      items,
    };
    const statement: CreditStatement = {
      customer,
      name: record.name,
      currency,
      limit,
      unlimited: limit === null,
      exposure,
      available: limit === null ? null : limit - exposure.total,
      overdue,
      status: "ok",
      policy,
      snapshot: publisher.lastSnapshot(customer),
    };
    statement.status = this.status(statement);
    return statement;
  }

  /**
   * The statement just after orders of the customer were stored, from the
   * one their decision read: the open orders read again, the rest kept (an
   * order changes nothing else the statement counts). Call it in the same
   * synchronous run as the orders' transaction, before anything else can
   * change the customer's figures; the snapshot version is the one read with
   * `statement`, so a snapshot published since shows it is stale.
   */
  afterOrders(statement: CreditStatement): CreditStatement {
    const exposure = withOpenOrdersReread(
      this.deps.db,
      statement.exposure,
      statement.customer,
      this.deps.currency,
      { openOrders: this.deps.openOrdersInExposure },
    );
    const next: CreditStatement = {
      ...statement,
      exposure,
      available: statement.limit === null ? null : statement.limit - exposure.total,
      status: "ok",
    };
    next.status = this.status(next);
    return next;
  }

  /**
   * For the dashboard's overview: every customer's exposure (the same
   * `computeExposure` as `statement()`) summed, and those over their limit now.
   */
  overview(): CreditOverview {
    const { catalog, receivables, currency } = this.deps;
    const standings = catalog.customers().map(
      (record): Standing => ({
        customer: record.id,
        name: record.name,
        currency,
        exposure: computeExposure(this.deps.db, receivables, catalog, record.id, currency, {
          openOrders: this.deps.openOrdersInExposure,
        }).total,
        limit:
          record.creditLimit === "unlimited" ? null : this.limitInSiteCurrency(record.creditLimit),
      }),
    );
    return this.deps.limits.overview(currency, standings);
  }

  /**
   * Decides an on-account sale of `amount` on the live figures (online: no
   * offline age or cap), and records the decision in the gateway ledger.
   */
  check(customer: string, amount: number, actor: Actor): CreditDecision | undefined {
    const statement = this.statement(customer);
    if (!statement) return undefined;
    const decision = decideCredit({
      snapshot: { ...this.standing(statement), status: statement.status },
      pendingOwnSales: 0,
      amount,
      policy: this.deps.policy,
      now: this.deps.clock.now(),
      offline: false,
      ...(this.deps.locale ? { locale: this.deps.locale } : {}),
    });
    this.deps.ledger.record(
      "credit.checked",
      {
        customer,
        amount,
        decision: decision.decision,
        reasons: decision.reasons,
        figures: decision.figures,
      },
      actor,
    );
    return decision;
  }

  /** The figures a snapshot of the statement carries, at the version last published (read with it). */
  standing(statement: CreditStatement) {
    return {
      currency: this.deps.currency,
      limit: statement.limit,
      outstanding: statement.exposure.total,
      overdue: statement.overdue.amount,
      overdueSince: statement.overdue.since,
      // Listed for the counters to age them by themselves; the oldest when there are too many.
      overdueItems: statement.overdue.items
        .slice(0, OVERDUE_ITEMS_MAX)
        .map(({ invoice, open, dueDate }) => ({ invoice, open, dueDate })),
      version: statement.snapshot.version,
      asOf: this.deps.clock.now().toISOString(),
    };
  }

  /** The snapshot's status: what a sale of the smallest amount would meet. */
  private status(statement: CreditStatement): CreditSnapshot["status"] {
    if (this.onDunningHold(statement.customer)) return "on-hold";
    const probe = decideCredit({
      snapshot: this.standing(statement),
      pendingOwnSales: 0,
      amount: 1,
      policy: this.deps.policy,
      now: this.deps.clock.now(),
      offline: false,
    });
    if (probe.decision === "block") return "blocked";
    return probe.reasons.some((reason) => reason.code === "warn-band") ? "warn" : "ok";
  }

  /**
   * The last reminder sent to the customer was at a level that blocks credit
   * (the final notice): cash only until a thank-you after payment lifts it.
   */
  private onDunningHold(customer: string): boolean {
    // The dunning outbox creates its table on first use: look for it until it exists.
    if (!this.lastLetter) {
      const table = prepared(
        this.deps.db,
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dunning_letters'",
      ).get();
      if (!table) return false;
      this.lastLetter = this.deps.db.prepare<[string], { block_credit: number }>(
        "SELECT block_credit FROM dunning_letters WHERE customer = ? ORDER BY rowid DESC LIMIT 1",
      );
    }
    return this.lastLetter.get(customer)?.block_credit === 1;
  }

  private limitInSiteCurrency(limit: { amount: number; currency: string }): number {
    if (limit.currency !== this.deps.currency) {
      // Counted as is, but said: the figures would mix currencies.
      this.deps.log.warn({ limit }, `credit limit not in the site currency ${this.deps.currency}`);
    }
    return limit.amount;
  }

  private today(): string {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }
}

/** A statement as the over-limit watch sees it. */
export function standingOf(statement: CreditStatement): Standing {
  return {
    customer: statement.customer,
    name: statement.name,
    currency: statement.currency,
    exposure: statement.exposure.total,
    limit: statement.limit,
  };
}

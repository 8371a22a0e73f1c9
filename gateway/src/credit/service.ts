import {
  type Clock,
  type CreditDecision,
  type CreditPolicy,
  type CreditSnapshot,
  decideCredit,
  type Logger,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { type CreditConfig, CreditConfigSchema } from "@comptoir/firmware-config";
import type { Statement } from "better-sqlite3";
import type { GatewayBus } from "../bus/bus.js";
import { Catalog } from "../catalog/service.js";
import { Invoices } from "../invoices/invoices.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import { Payments } from "../payments/payments.js";
import { type OpenItem, Receivables } from "../receivables/receivables.js";
import type { Store } from "../store/store.js";
import { computeExposure, type Exposure } from "./exposure.js";
import { type CreditOverview, LimitWatch, type Standing } from "./over-limit.js";
import { RetainedPublisher } from "./publisher.js";
import { offlineAlertMessage, offlineOverLimit, SyncMarks } from "./synced.js";

const SYSTEM: Actor = { kind: "system", id: "credit" };

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

/** "Limit exceeded while offline": synced counter sales took a customer over the limit. */
export interface OfflineLimitAlert {
  customer: string;
  limit: number;
  exposure: number;
  /** The sales (oldest first) from which the customer stood over the limit. */
  sales: { id: string; node: string; seq: number; total: number; at: string }[];
}

export interface CreditServiceOptions {
  store: Store;
  ledger: GatewayLedger;
  /** Shared with the HTTP API so that customer and product changes republish; created when absent. */
  catalog?: Catalog;
  config?: Partial<CreditConfig>;
  clock?: Clock;
  logger?: Logger;
  /** Where snapshots and the catalog are published (retained); nothing is sent without it. */
  bus?: Pick<GatewayBus, "publish">;
  site?: string;
  /** Alerts go to the live feed when given. */
  events?: LiveEvents;
}

/**
 * The gateway's credit side: receivables, exposure, the decision (the same
 * `decideCredit` the counters run), and the retained snapshots that keep
 * every counter's figures current. Everything that changes a customer's
 * exposure goes through here and republishes that customer's snapshot.
 */
export class CreditService {
  readonly catalog: Catalog;
  readonly receivables: Receivables;
  readonly invoices: Invoices;
  readonly payments: Payments;
  readonly policy: CreditPolicy;
  readonly currency: string;
  readonly publisher: RetainedPublisher;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly store: Store;
  private readonly ledger: GatewayLedger;
  private readonly events: LiveEvents | undefined;
  private lastLetter: Statement<[string], { block_credit: number }> | undefined;
  private readonly marks: SyncMarks;
  private readonly limits: LimitWatch;

  constructor(options: CreditServiceOptions) {
    const config = CreditConfigSchema.parse(options.config ?? {});
    this.store = options.store;
    this.ledger = options.ledger;
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "credit" });
    this.events = options.events;
    this.currency = config.currency;
    this.policy = {
      overdueFloor: config.overdueFloor,
      overdueDays: config.overdueDays,
      offlineMaxAgeSeconds: config.offlineMaxAgeSeconds,
      offlineCap: config.offlineCap,
      warnBand: config.warnBand,
    };
    this.catalog =
      options.catalog ?? new Catalog(this.store.db, this.ledger, { clock: this.clock });
    this.receivables = new Receivables(this.store.db, this.ledger, this.catalog, {
      clock: this.clock,
      writeOffTolerance: config.writeOffTolerance,
      currency: config.currency,
    });
    this.invoices = new Invoices(this.receivables, this.ledger);
    this.payments = new Payments(this.receivables, this.ledger);
    this.publisher = new RetainedPublisher(this.store.db, options.bus, options.site ?? "site", {
      logger: options.logger,
    });
    this.marks = new SyncMarks(this.store.db);
    this.limits = new LimitWatch(this.store.db, this.ledger, {
      clock: this.clock,
      log: this.log,
      events: this.events,
    });
    // Every committed receivables change (an invoice, a payment, a file of them, an undo) republishes.
    this.receivables.changes.onChange((customers) => {
      for (const customer of customers) void this.publishCustomer(customer);
    });
    this.catalog.onChange((change) => {
      if (change.kind === "customer") {
        void this.publishCustomer(change.id);
        return;
      }
      void this.publishCatalog();
      // Shipped-not-invoiced is valued at the catalog price: those customers' figures moved.
      for (const customer of this.marks.customersWhoReceived(change.id)) {
        void this.publishCustomer(customer);
      }
    });
  }

  /** `invoices.record`: the customer's snapshot is republished once committed. */
  recordInvoice(input: unknown, actor: Actor, options: { update?: boolean } = {}) {
    return this.invoices.record(input, actor, options);
  }

  /** `payments.record`: the customer's snapshot is republished once committed. */
  recordPayment(input: unknown, actor: Actor) {
    return this.payments.record(input, actor);
  }

  /** `payments.undoMatch`: the customers concerned get their new figures at once. */
  undoMatch(letter: string, actor: Actor) {
    return this.payments.undoMatch(letter, actor);
  }

  /** The customer's credit, itemised; undefined for an unknown customer. */
  statement(customer: string): CreditStatement | undefined {
    const record = this.catalog.customer(customer);
    if (!record) return undefined;
    const limit =
      record.creditLimit === "unlimited" ? null : this.limitInSiteCurrency(record.creditLimit);
    const exposure = computeExposure(
      this.store.db,
      this.receivables.read,
      this.catalog,
      customer,
      this.currency,
    );
    const items = this.receivables.read
      .openItems(customer, this.today())
      .filter((item) => item.daysOverdue > 0);
    const overdue = {
      amount: items.reduce((sum, item) => sum + item.open, 0),
      since: items[0]?.dueDate ?? null,
      items,
    };
    const snapshot = this.publisher.lastSnapshot(customer);
    const statement: CreditStatement = {
      customer,
      name: record.name,
      currency: this.currency,
      limit,
      unlimited: limit === null,
      exposure,
      available: limit === null ? null : limit - exposure.total,
      overdue,
      status: "ok",
      policy: this.policy,
      snapshot,
    };
    statement.status = this.status(statement);
    return statement;
  }

  /**
   * For the dashboard's overview: every customer's exposure (the same
   * `computeExposure` as `statement()`) summed, and those over their limit now.
   */
  overview(): CreditOverview {
    const standings = this.catalog.customers().map(
      (record): Standing => ({
        customer: record.id,
        name: record.name,
        currency: this.currency,
        exposure: computeExposure(
          this.store.db,
          this.receivables.read,
          this.catalog,
          record.id,
          this.currency,
        ).total,
        limit:
          record.creditLimit === "unlimited" ? null : this.limitInSiteCurrency(record.creditLimit),
      }),
    );
    return this.limits.overview(this.currency, standings);
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
      policy: this.policy,
      now: this.clock.now(),
      offline: false,
    });
    this.ledger.record(
      "credit.checked",
      { customer, amount, decision: decision.decision, reasons: decision.reasons },
      actor,
    );
    return decision;
  }

  /** Publishes the customer's snapshot with a new version; undefined when the customer is unknown. */
  async publishCustomer(customer: string): Promise<CreditSnapshot | undefined> {
    try {
      const statement = this.statement(customer);
      if (!statement) return undefined;
      // Every change of a customer's exposure or limit comes here: a crossing of the limit is raised once.
      this.limits.observe(standingOf(statement));
      const { version: _version, ...figures } = this.standing(statement);
      return await this.publisher.snapshot({
        ...figures,
        customer,
        name: statement.name,
        status: statement.status,
        policy: this.policy,
      });
    } catch (error) {
      this.log.error({ err: error, customer }, "could not build the credit snapshot");
      return undefined;
    }
  }

  /** The catalog (products priced in the site currency), versioned and retained. */
  async publishCatalog() {
    const products = this.catalog
      .products()
      .filter((product) => product.unitPrice.currency === this.currency)
      .map((product) => ({
        sku: product.sku,
        ...(product.gtin ? { gtin: product.gtin } : {}),
        // Its other GTINs: a counter finds the product of an SGTIN tag by any of them.
        ...(product.gtins.length > 0 ? { gtins: product.gtins } : {}),
        name: product.name,
        unitPrice: product.unitPrice.amount,
      }));
    return this.publisher.catalog({
      currency: this.currency,
      asOf: this.clock.now().toISOString(),
      products,
    });
  }

  /** At start: every customer's snapshot and the catalog, so counters begin with current figures. */
  async publishAll(): Promise<void> {
    await this.publishCatalog();
    for (const customer of this.catalog.customers()) await this.publishCustomer(customer.id);
  }

  /**
   * Republishes every snapshot just after each UTC midnight: invoices fall
   * due with the date, and a counter must see them overdue without any other
   * change. Returns the function that stops it.
   */
  startDailyRepublish(): () => void {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const now = this.clock.now().getTime();
      const midnight = Math.ceil((now + 1) / 86_400_000) * 86_400_000;
      timer = setTimeout(
        () => {
          void this.publishAll().finally(schedule);
        },
        midnight - now + 1000,
      );
      timer.unref();
    };
    schedule();
    return () => clearTimeout(timer);
  }

  /**
   * Call after node batches were stored: folds the counter sales and the
   * shipments synced since the last call, republishes the customers they
   * concern, and raises
   * "limit exceeded while offline" for any customer they took over the
   * limit (live feed alert and a gateway-ledger entry). Sales are never
   * voided. Cheap when nothing new arrived; pass the node whose batch was
   * stored to look at its shipments only.
   */
  afterIngest(node?: string): OfflineLimitAlert[] {
    const fresh = this.marks.freshSales().filter((sale) => sale.payment === "account");
    const customers = new Set(fresh.flatMap((sale) => (sale.customer ? [sale.customer] : [])));
    const alerts: OfflineLimitAlert[] = [];
    for (const customer of customers) {
      const statement = this.statement(customer);
      const alert =
        statement &&
        offlineOverLimit(
          statement,
          fresh.filter((sale) => sale.customer === customer),
        );
      if (alert) {
        const message = offlineAlertMessage(alert, this.currency);
        this.log.warn({ alert }, message);
        this.ledger.record("credit.limit-exceeded-offline", { ...alert }, SYSTEM);
        this.events?.publish?.("alert", { level: "warning", message });
        // That alert is this crossing's: "over credit limit" is recorded, not raised a second time.
        this.limits.observe(standingOf(statement), { announced: true });
        alerts.push(alert);
      }
    }
    for (const customer of this.marks.freshShipmentCustomers(node)) customers.add(customer);
    for (const customer of customers) void this.publishCustomer(customer);
    return alerts;
  }

  private standing(statement: CreditStatement) {
    const last = this.publisher.lastSnapshot(statement.customer);
    return {
      currency: this.currency,
      limit: statement.limit,
      outstanding: statement.exposure.total,
      overdue: statement.overdue.amount,
      overdueSince: statement.overdue.since,
      version: last.version,
      asOf: this.clock.now().toISOString(),
    };
  }

  /** The snapshot's status: what a sale of the smallest amount would meet. */
  private status(statement: CreditStatement): CreditSnapshot["status"] {
    if (this.onDunningHold(statement.customer)) return "on-hold";
    const probe = decideCredit({
      snapshot: this.standing(statement),
      pendingOwnSales: 0,
      amount: 1,
      policy: this.policy,
      now: this.clock.now(),
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
      const table = this.store.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dunning_letters'")
        .get();
      if (!table) return false;
      this.lastLetter = this.store.db.prepare<[string], { block_credit: number }>(
        "SELECT block_credit FROM dunning_letters WHERE customer = ? ORDER BY rowid DESC LIMIT 1",
      );
    }
    return this.lastLetter.get(customer)?.block_credit === 1;
  }

  private limitInSiteCurrency(limit: { amount: number; currency: string }): number {
    if (limit.currency !== this.currency) {
      // Counted as is, but said: the figures would mix currencies.
      this.log.warn({ limit }, `credit limit not in the site currency ${this.currency}`);
    }
    return limit.amount;
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}

function standingOf(statement: CreditStatement): Standing {
  return {
    customer: statement.customer,
    name: statement.name,
    currency: statement.currency,
    exposure: statement.exposure.total,
    limit: statement.limit,
  };
}

import {
  type Clock,
  type CreditDecision,
  type CreditPolicy,
  type CreditSnapshot,
  decideCredit,
  formatAmount,
  type Logger,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { type CreditConfig, CreditConfigSchema } from "@comptoir/firmware-config";
import type { GatewayBus } from "../bus/bus.js";
import type { LiveEvents } from "../http/events.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { type OpenItem, Receivables } from "../receivables/receivables.js";
import { Catalog } from "../store/catalog.js";
import type { Store } from "../store/store.js";
import { computeExposure, type Exposure } from "./exposure.js";
import { RetainedPublisher } from "./publisher.js";

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
  readonly policy: CreditPolicy;
  readonly currency: string;
  readonly publisher: RetainedPublisher;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly store: Store;
  private readonly ledger: GatewayLedger;
  private readonly events: LiveEvents | undefined;

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
    this.publisher = new RetainedPublisher(this.store.db, options.bus, options.site ?? "site", {
      logger: options.logger,
    });
    this.store.db.exec(
      "CREATE TABLE IF NOT EXISTS credit_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT",
    );
    this.catalog.onChange((change) => {
      if (change.kind === "customer") {
        void this.publishCustomer(change.id);
        return;
      }
      void this.publishCatalog();
      // Shipped-not-invoiced is valued at the catalog price: those customers' figures moved.
      for (const customer of this.customersWhoReceived(change.id))
        void this.publishCustomer(customer);
    });
  }

  recordInvoice(input: unknown, actor: Actor, options: { update?: boolean } = {}) {
    const result = this.receivables.recordInvoice(input, actor, options);
    if (result.invoice.customer) void this.publishCustomer(result.invoice.customer);
    return result;
  }

  recordPayment(input: unknown, actor: Actor) {
    const result = this.receivables.recordPayment(input, actor);
    if (result.customer) void this.publishCustomer(result.customer);
    return result;
  }

  /** The customer's credit, itemised; undefined for an unknown customer. */
  statement(customer: string): CreditStatement | undefined {
    const record = this.catalog.customer(customer);
    if (!record) return undefined;
    const limit =
      record.creditLimit === "unlimited" ? null : this.limitInSiteCurrency(record.creditLimit);
    const exposure = computeExposure(
      this.store.db,
      this.receivables,
      this.catalog,
      customer,
      this.currency,
    );
    const items = this.receivables
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
   * Decides an on-account sale of `amount` on the live figures (online: no
   * offline age or cap), and records the decision in the gateway ledger.
   */
  check(customer: string, amount: number, actor: Actor): CreditDecision | undefined {
    const statement = this.statement(customer);
    if (!statement) return undefined;
    const decision = decideCredit({
      snapshot: this.standing(statement),
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
   * voided. Cheap when nothing new arrived.
   */
  afterIngest(): OfflineLimitAlert[] {
    const seen = this.store.db
      .prepare<[], { value: number }>("SELECT value FROM credit_state WHERE key = 'sales-seen'")
      .get()?.value;
    const fresh = this.store.db
      .prepare<
        [number],
        {
          synced: number;
          id: string;
          chain: string;
          seq: number;
          customer: string | null;
          payment: string;
          total: number;
          at: string;
          override: string | null;
        }
      >(
        "SELECT synced, id, chain, seq, customer, payment, total, at, override FROM sales WHERE synced > ? ORDER BY synced",
      )
      .all(seen ?? 0);
    const shippedTo = this.freshShipments();
    if (fresh.length === 0) {
      for (const customer of shippedTo) void this.publishCustomer(customer);
      return [];
    }
    this.store.db
      .prepare(
        "INSERT INTO credit_state (key, value) VALUES ('sales-seen', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run((fresh.at(-1) as { synced: number }).synced);
    const alerts: OfflineLimitAlert[] = [];
    const customers = new Set(
      fresh.filter((sale) => sale.customer && sale.payment === "account").map((s) => s.customer),
    );
    for (const customer of customers) {
      if (!customer) continue;
      const statement = this.statement(customer);
      if (statement?.limit != null && statement.exposure.total > statement.limit) {
        const alert = this.overLimit(
          statement,
          fresh.filter((sale) => sale.customer === customer && sale.payment === "account"),
        );
        if (alert) alerts.push(alert);
      }
      void this.publishCustomer(customer);
    }
    for (const customer of shippedTo) {
      if (!customers.has(customer)) void this.publishCustomer(customer);
    }
    return alerts;
  }

  /** Customers with shipments stored since the last call (per node, by seq). */
  private freshShipments(): Set<string> {
    const db = this.store.db;
    const heads = db
      .prepare<[], { chain: string; seq: number }>(
        "SELECT chain, MAX(seq) AS seq FROM shipments GROUP BY chain",
      )
      .all();
    const seenOf = db.prepare<[string], { value: number }>(
      "SELECT value FROM credit_state WHERE key = ?",
    );
    const customers = new Set<string>();
    for (const head of heads) {
      const key = `shipments-seen:${head.chain}`;
      const seen = seenOf.get(key)?.value ?? 0;
      if (head.seq <= seen) continue;
      for (const row of db
        .prepare<[string, number], { customer: string }>(
          "SELECT DISTINCT customer FROM shipments WHERE chain = ? AND seq > ?",
        )
        .all(head.chain, seen)) {
        customers.add(row.customer);
      }
      db.prepare(
        "INSERT INTO credit_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(key, head.seq);
    }
    return customers;
  }

  private customersWhoReceived(sku: string): string[] {
    return this.store.db
      .prepare<[string], { customer: string }>(
        "SELECT DISTINCT customer FROM shipments WHERE sku = ?",
      )
      .all(sku)
      .map((row) => row.customer);
  }

  private overLimit(
    statement: CreditStatement,
    fresh: {
      id: string;
      chain: string;
      seq: number;
      total: number;
      at: string;
      override: string | null;
    }[],
  ): OfflineLimitAlert | undefined {
    const limit = statement.limit as number;
    const counted = new Set(
      statement.exposure.counterSales.documents.map((document) => document.id),
    );
    const ordered = fresh
      .filter((sale) => counted.has(sale.id))
      .sort((a, b) => a.at.localeCompare(b.at) || a.chain.localeCompare(b.chain) || a.seq - b.seq);
    let running = statement.exposure.total - ordered.reduce((sum, sale) => sum + sale.total, 0);
    const culprits: OfflineLimitAlert["sales"] = [];
    for (const sale of ordered) {
      running += sale.total;
      // A supervisor's override already records why the limit was passed.
      if (running > limit && sale.override === null) {
        culprits.push({
          id: sale.id,
          node: sale.chain,
          seq: sale.seq,
          total: sale.total,
          at: sale.at,
        });
      }
    }
    if (culprits.length === 0) return undefined;
    const alert: OfflineLimitAlert = {
      customer: statement.customer,
      limit,
      exposure: statement.exposure.total,
      sales: culprits,
    };
    const message = `limit exceeded while offline: ${statement.customer} owes ${formatAmount(alert.exposure, this.currency)} > limit ${formatAmount(limit, this.currency)} after sales ${culprits.map((sale) => `${sale.id} (${sale.node})`).join(", ")}`;
    this.log.warn({ alert }, message);
    this.ledger.record("credit.limit-exceeded-offline", { ...alert }, SYSTEM);
    this.events?.publish?.("alert", { level: "warning", message });
    return alert;
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

import {
  type Clock,
  type CreditDecision,
  type CreditPolicy,
  DEFAULT_LOCALE,
  type Logger,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { type CreditConfig, CreditConfigSchema } from "@comptoir/firmware-config";
import type { GatewayBus } from "../bus/bus.js";
import { Catalog } from "../catalog/service.js";
import { Invoices } from "../invoices/invoices.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import { PaymentApplication } from "../payments/apply.js";
import { Payments } from "../payments/payments.js";
import { Receivables } from "../receivables/receivables.js";
import { DunningRecord } from "../receivables-reports/outbox.js";
import type { Store } from "../store/store.js";
import { type CreditOverview, LimitWatch } from "./over-limit.js";
import { RetainedPublisher } from "./publisher.js";
import { SnapshotPublisher } from "./snapshots.js";
import { type CreditStatement, CreditStatements, standingOf } from "./statements.js";
import {
  type OfflineLimitAlert,
  offlineAlertMessage,
  offlineOverLimit,
  SyncMarks,
} from "./synced.js";

const SYSTEM: Actor = { kind: "system", id: "credit" };

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
  /**
   * The site's locale (`gateway.locale`): credit verdicts write amounts in it
   * ("exposure 138,90 € ≤ limit…" in fr-FR). `DEFAULT_LOCALE` when absent.
   */
  locale?: string;
  /** Alerts go to the live feed when given. */
  events?: LiveEvents;
  /**
   * The cost of a product's next unit (minor units, site currency) that the
   * published catalog carries for counters; default: the catalog's unit cost.
   */
  costOf?: (sku: string) => number | undefined;
}

/**
 * The gateway's receivables and credit side, put together: invoices and
 * payments recorded (`invoices`, `payments`, over `receivables`), the
 * customers' credit read on the live figures (`statements`), and the
 * retained snapshots that keep every counter's figures current
 * (`snapshots`, which listens for every receivables and catalog change).
 * Record invoices and payments through `invoices` and `payments`; the few
 * shorthands below are the reads and publishes the routes and the gateway's
 * start-up call.
 */
export class CreditService {
  readonly catalog: Catalog;
  readonly receivables: Receivables;
  readonly invoices: Invoices;
  readonly payments: Payments;
  /** Dunning letters sent: a letter at a blocking level blocks the customer's credit. */
  readonly dunning: DunningRecord;
  readonly statements: CreditStatements;
  readonly snapshots: SnapshotPublisher;
  readonly policy: CreditPolicy;
  readonly currency: string;
  /** The site's locale the verdicts' amounts are written in. */
  readonly locale: string;
  readonly publisher: RetainedPublisher;
  private readonly log: Logger;
  private readonly ledger: GatewayLedger;
  private readonly events: LiveEvents | undefined;
  private readonly marks: SyncMarks;
  private readonly limits: LimitWatch;

  constructor(options: CreditServiceOptions) {
    const config = CreditConfigSchema.parse(options.config ?? {});
    const { db } = options.store;
    const clock = options.clock ?? systemClock;
    this.ledger = options.ledger;
    this.log = (options.logger ?? silentLogger).child({ module: "credit" });
    this.events = options.events;
    this.currency = config.currency;
    this.locale = options.locale ?? DEFAULT_LOCALE;
    this.policy = {
      overdueFloor: config.overdueFloor,
      overdueDays: config.overdueDays,
      offlineMaxAgeSeconds: config.offlineMaxAgeSeconds,
      offlineCap: config.offlineCap,
      warnBand: config.warnBand,
    };
    this.catalog = options.catalog ?? new Catalog(db, this.ledger, { clock });
    this.receivables = new Receivables(db, this.ledger, this.catalog, {
      clock,
      currency: config.currency,
    });
    this.invoices = new Invoices(this.receivables, this.ledger);
    const application = new PaymentApplication(
      db,
      this.ledger,
      this.catalog,
      this.receivables.read,
      this.receivables.changes,
      { clock, writeOffTolerance: config.writeOffTolerance, currency: config.currency },
    );
    this.payments = new Payments(application, this.receivables, this.ledger);
    this.dunning = new DunningRecord(db, this.ledger, this.receivables.changes);
    this.publisher = new RetainedPublisher(db, options.bus, options.site ?? "site", {
      logger: options.logger,
    });
    this.marks = new SyncMarks(db);
    this.limits = new LimitWatch(db, this.ledger, {
      clock,
      log: this.log,
      events: this.events,
      locale: this.locale,
    });
    const shared = { policy: this.policy, currency: this.currency, clock, log: this.log };
    this.statements = new CreditStatements({
      ...shared,
      openOrdersInExposure: config.openOrdersInExposure,
      locale: this.locale,
      db,
      receivables: this.receivables.read,
      catalog: this.catalog,
      ledger: this.ledger,
      publisher: this.publisher,
      limits: this.limits,
    });
    this.snapshots = new SnapshotPublisher({
      ...shared,
      statements: this.statements,
      publisher: this.publisher,
      limits: this.limits,
      marks: this.marks,
      catalog: this.catalog,
      receivables: this.receivables.changes,
      isOpen: () => db.open,
      costOf: options.costOf,
    });
  }

  /** Publishes the catalog again (a new version): call when the costs `costOf` answers changed. */
  republishCatalog() {
    return this.snapshots.publishCatalog();
  }

  /** The customer's credit, itemised; undefined for an unknown customer. */
  statement(customer: string): CreditStatement | undefined {
    return this.statements.statement(customer);
  }

  /** Every customer's exposure summed, and those over their limit now (the dashboard's). */
  overview(): CreditOverview {
    return this.statements.overview();
  }

  /** Decides an on-account sale on the live figures, recorded in the gateway ledger. */
  check(customer: string, amount: number, actor: Actor): CreditDecision | undefined {
    return this.statements.check(customer, amount, actor);
  }

  /** At start: every customer's snapshot and the catalog, so counters begin with current figures. */
  publishAll(): Promise<void> {
    return this.snapshots.publishAll();
  }

  /** Renews every snapshot after each UTC midnight; returns the function that stops it. */
  startDailyRepublish(): () => void {
    return this.snapshots.startDailyRepublish();
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
    // Read once: the same statement decides the alert and is published.
    const read: CreditStatement[] = [];
    for (const customer of customers) {
      const statement = this.statements.statement(customer);
      if (statement) read.push(statement);
      const alert =
        statement &&
        offlineOverLimit(
          statement,
          fresh.filter((sale) => sale.customer === customer),
        );
      if (alert) {
        const message = offlineAlertMessage(alert, this.currency, this.locale);
        this.log.warn({ alert }, message);
        this.ledger.record("credit.limit-exceeded-offline", { ...alert }, SYSTEM);
        this.events?.publish?.("alert", { level: "warning", message });
        // That alert is this crossing's: "over credit limit" is recorded, not raised a second time.
        this.limits.observe(standingOf(statement), { announced: true });
        alerts.push(alert);
      }
    }
    for (const statement of read) void this.snapshots.publishStatement(statement);
    for (const customer of this.marks.freshShipmentCustomers(node)) {
      if (!customers.has(customer)) void this.snapshots.publishCustomer(customer);
    }
    return alerts;
  }
}

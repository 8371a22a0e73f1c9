import type { Clock, CreditPolicy, CreditSnapshot, Logger } from "@comptoir/contracts";
import type { Catalog } from "../catalog/service.js";
import type { ReceivablesChanges } from "../receivables/changes.js";
import type { LimitWatch } from "./over-limit.js";
import type { RetainedPublisher } from "./publisher.js";
import { type CreditStatement, type CreditStatements, standingOf } from "./statements.js";
import type { SyncMarks } from "./synced.js";

export interface SnapshotPublisherDeps {
  statements: CreditStatements;
  publisher: RetainedPublisher;
  limits: LimitWatch;
  marks: SyncMarks;
  catalog: Catalog;
  /** Every committed receivables change (an invoice, a payment, a file of them, an undo). */
  receivables: ReceivablesChanges;
  policy: CreditPolicy;
  currency: string;
  clock: Clock;
  log: Logger;
  /** False once the store is closed: snapshots still due are left to the next start. */
  isOpen: () => boolean;
  /**
   * The cost of a product's next unit, in the site currency's minor units,
   * published with the catalog so counters flag lines sold under it;
   * undefined: none sent for that product. Default: the catalog's unit cost.
   */
  costOf?: ((sku: string) => number | undefined) | undefined;
}

/** A customer's statement just after a change, and the snapshot version taken in the change's transaction. */
export interface Reserved {
  statement: CreditStatement;
  version: number;
}

/** How long `publishSoon` gathers changes before publishing (business rules: counters know within seconds). */
const COALESCE_MS = 100;
/** Snapshots read, versioned and sent in one turn of the event loop. */
const PER_TURN = 4;

/**
 * Where a change reaches the counters: listens for receivables and catalog
 * changes and republishes the retained snapshot of every customer concerned
 * (and the catalog), so that no caller has to remember to. Counter sales
 * synced from the nodes come in through `publishCustomer` (see
 * `CreditService.afterIngest`), and every snapshot is renewed after each
 * UTC midnight, when invoices fall due.
 */
export class SnapshotPublisher {
  /** Customers whose snapshot `publishSoon` was asked for and not yet published, with what was given. */
  private readonly due = new Map<string, Reserved | undefined>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SnapshotPublisherDeps) {
    deps.receivables.onChange((customers) => {
      for (const customer of customers) void this.publishCustomer(customer);
    });
    deps.catalog.onChange((change) => {
      if (change.kind === "customer") {
        for (const customer of change.ids) void this.publishCustomer(customer);
        return;
      }
      // Once for a whole import of products, not once per product.
      void this.publishCatalog();
      // Shipped-not-invoiced is valued at the catalog price: those customers' figures moved.
      const moved = new Set(change.ids.flatMap((sku) => deps.marks.customersWhoReceived(sku)));
      for (const customer of moved) void this.publishCustomer(customer);
    });
  }

  /** Publishes the customer's snapshot with a new version; undefined when the customer is unknown. */
  async publishCustomer(customer: string): Promise<CreditSnapshot | undefined> {
    try {
      const statement = this.deps.statements.statement(customer);
      return statement ? await this.publishStatement(statement) : undefined;
    } catch (error) {
      this.deps.log.error({ err: error, customer }, "could not build the credit snapshot");
      return undefined;
    }
  }

  /** Publishes the snapshot of a statement just read (a caller that has one need not read it again). */
  async publishStatement(statement: CreditStatement): Promise<CreditSnapshot | undefined> {
    try {
      return await this.deps.publisher.snapshot(this.figuresOf(statement));
    } catch (error) {
      this.deps.log.error(
        { err: error, customer: statement.customer },
        "could not publish the credit snapshot",
      );
      return undefined;
    }
  }

  /**
   * Takes the customer's next snapshot version inside the transaction of a
   * change (an order): the change's commit keeps it, the snapshot needs no
   * commit of its own. Pass it to `publishSoon` with the statement after
   * the change.
   */
  reserveVersion(customer: string): number {
    return this.deps.publisher.reserveSnapshot(customer, this.deps.clock.now().toISOString());
  }

  /**
   * Republishes the customer's snapshot within `COALESCE_MS`, off the caller's
   * path: a burst of changes (orders placed one after another) publishes the
   * customer once. Without `after`, the figures are read when published and
   * the snapshots due are versioned a few to a commit. With `after` (the
   * statement just after the change, `CreditStatements.afterOrders`, and the
   * version `reserveVersion` took in the change's transaction), that
   * statement is sent at that version, unless a snapshot of the customer was
   * versioned since: that one was read later and already counts the change.
   */
  publishSoon(customer: string, after?: Reserved): void {
    this.due.set(customer, after);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publishDue();
    }, COALESCE_MS);
    // A gateway that stops with snapshots due republishes every one at its next start.
    this.timer.unref();
  }

  /** Publishes the snapshots due, `PER_TURN` to a turn of the event loop so requests are not held up. */
  private publishDue(): void {
    if (!this.deps.isOpen()) {
      this.due.clear();
      return;
    }
    const turn = [...this.due].slice(0, PER_TURN);
    for (const [customer] of turn) this.due.delete(customer);
    const read = turn.flatMap(([customer, after]) => (after ? [] : [customer]));
    for (const [, after] of turn) if (after) void this.publishReserved(after);
    if (read.length > 0) void this.publishTogether(read);
    if (this.due.size > 0) setImmediate(() => this.publishDue());
  }

  /** A statement at its reserved version, unless a newer snapshot was versioned since (stale, needless). */
  private async publishReserved({ statement, version }: Reserved): Promise<void> {
    try {
      if (!this.deps.publisher.isNewest(statement.customer, version)) return;
      await this.deps.publisher.snapshotAt(this.figuresOf(statement), version);
    } catch (error) {
      this.deps.log.error(
        { err: error, customer: statement.customer },
        "could not publish the credit snapshot",
      );
    }
  }

  /** Several customers' snapshots, read and versioned together (one commit). */
  private async publishTogether(customers: readonly string[]): Promise<void> {
    const { statements, publisher } = this.deps;
    try {
      const figures = customers.flatMap((customer) => {
        const statement = statements.statement(customer);
        return statement ? [this.figuresOf(statement)] : [];
      });
      await publisher.snapshots(figures);
    } catch (error) {
      // One at a time, each failure logged with its customer.
      this.deps.log.warn({ err: error, customers }, "credit snapshots not published together");
      for (const customer of customers) await this.publishCustomer(customer);
    }
  }

  /** A snapshot's figures; every change of a customer's exposure or limit comes here. */
  private figuresOf(statement: CreditStatement): Omit<CreditSnapshot, "version"> {
    const { statements, limits, policy } = this.deps;
    // A crossing of the limit is raised once.
    limits.observe(standingOf(statement));
    const { version: _version, ...figures } = statements.standing(statement);
    return {
      ...figures,
      customer: statement.customer,
      name: statement.name,
      status: statement.status,
      policy,
    };
  }

  /** The catalog (products priced in the site currency), versioned and retained. */
  async publishCatalog() {
    const { catalog, currency, clock } = this.deps;
    const products = catalog
      .products()
      .filter((product) => product.unitPrice.currency === currency)
      .map((product) => {
        const unitCost = this.deps.costOf ? this.deps.costOf(product.sku) : product.unitCost.amount;
        return {
          sku: product.sku,
          ...(product.gtin ? { gtin: product.gtin } : {}),
          // Its other GTINs: a counter finds the product of an SGTIN tag by any of them.
          ...(product.gtins.length > 0 ? { gtins: product.gtins } : {}),
          name: product.name,
          unitPrice: product.unitPrice.amount,
          // An average cost may carry fractions of a cent: counters compare whole minor units.
          ...(unitCost !== undefined && Number.isFinite(unitCost) && unitCost >= 0
            ? { unitCost: Math.round(unitCost) }
            : {}),
        };
      });
    return this.deps.publisher.catalog({
      currency,
      asOf: clock.now().toISOString(),
      products,
    });
  }

  /** At start: every customer's snapshot and the catalog, so counters begin with current figures. */
  async publishAll(): Promise<void> {
    await this.publishCatalog();
    for (const customer of this.deps.catalog.customers()) await this.publishCustomer(customer.id);
  }

  /**
   * Republishes every snapshot just after each UTC midnight: invoices fall
   * due with the date, and a counter must see them overdue without any other
   * change. Returns the function that stops it.
   */
  startDailyRepublish(): () => void {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const now = this.deps.clock.now().getTime();
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
}

import {
  type Clock,
  type CreditDecision,
  decideCredit,
  type Logger,
  type OrderInput,
  type OrderState,
  type OrderView,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import type { CreditService } from "../credit/service.js";
import type { CreditStatement } from "../credit/statements.js";
import { type Actor, GATEWAY_CHAIN, type GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import { prepared } from "../store/prepared.js";
import type { Store } from "../store/store.js";
import { DockWatch, type HoldBreach } from "./dock-watch.js";
import { orderState } from "./fulfilment.js";
import { placedEntry, placedRecords } from "./placement.js";
import { ProgressReader } from "./progress.js";
import type { OrderStatePublisher } from "./publisher.js";
import { OrderReads } from "./reads.js";
import { actorLabel, OrderRecords, type OrderRow } from "./records.js";
import { type OrderLocator, OrderRefused, type ResolvedOrder, resolveOrders } from "./resolve.js";
import { liveChange, stateMessage } from "./views.js";

const SYSTEM: Actor = { kind: "system", id: "credit" };

/** What brought a customer's figures back: the ledger entry of the payment, limit or cancellation. */
export interface ReleaseCause {
  kind: "receivables" | "limit" | "cancel";
  /** The gateway-ledger entry that recorded it, when there is one. */
  seq?: number;
  type?: string;
  order?: string;
}

export interface OrderServiceOptions {
  store: Store;
  ledger: GatewayLedger;
  /** Statements, the policy and the catalog: orders are decided as the counter decides. */
  credit: CreditService;
  clock?: Clock;
  logger?: Logger;
  events?: LiveEvents;
  /** Retained `orders/<order>` states for the nodes; nothing is sent without it. */
  publisher?: Pick<OrderStatePublisher, "publish">;
}

/** Thrown inside a dry run's transaction to roll it back with what it would have answered. */
class DryRun extends Error {
  constructor(readonly views: OrderView[]) {
    super("dry run");
  }
}

/**
 * Sales orders (issue 15): placed by the ERP, decided at entry by the same
 * `decideCredit` as the counter on the live figures, held until the customer
 * is back within the rules (released oldest first, stopping at the first
 * that would break them again) or a credit manager overrides the hold, and
 * followed to the dock and the invoice. Each decision is a gateway-ledger
 * entry in the transaction of the rows it changes; each state change reaches
 * the live feed and the nodes (retained, per order).
 */
export class OrderService {
  readonly records: OrderRecords;
  readonly progress: ProgressReader;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly credit: CreditService;
  private readonly ledger: GatewayLedger;
  private readonly dock: DockWatch;
  private readonly reads: OrderReads;

  constructor(private readonly options: OrderServiceOptions) {
    const { db } = options.store;
    this.records = new OrderRecords(db);
    this.progress = new ProgressReader(db);
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "orders" });
    this.credit = options.credit;
    this.ledger = options.ledger;
    this.reads = new OrderReads(this.records, this.progress, this.credit);
    this.dock = new DockWatch(db, this, this.ledger, { events: options.events, log: this.log });
    // A payment, a credit note, an undo, an invoice: fulfilment may move, holds may lift.
    this.credit.receivables.changes.onChange((customers) => {
      const entry = this.lastEntry();
      for (const customer of customers) {
        this.safely(customer, () => {
          this.refresh(customer);
          this.releaseHeld(customer, {
            kind: "receivables",
            ...(entry ? { seq: entry.seq, type: entry.type } : {}),
          });
        });
      }
    });
    this.credit.catalog.onChange((change) => {
      if (change.kind !== "customer") return;
      for (const customer of change.ids)
        this.safely(customer, () =>
          this.releaseHeld(customer, { kind: "limit", seq: this.ledger.head.seq }),
        );
    });
  }

  /**
   * Work that follows a change already committed (a payment, a new limit):
   * a failure here is logged, never thrown back at the request that made
   * the change; the next change of the customer tries again.
   */
  private safely(customer: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log.error({ err: error, customer }, "held orders not re-decided after a change");
    }
  }

  /** Places orders (one, or a whole file): all stored, or none; a dry run stores nothing. */
  place(
    inputs: readonly OrderInput[],
    actor: Actor,
    options: { dryRun?: boolean; locate?: OrderLocator } = {},
  ): OrderView[] {
    const resolved = resolveOrders(
      inputs,
      {
        catalog: this.credit.catalog,
        exists: (number) => this.records.get(number) !== undefined,
        currency: this.credit.currency,
        today: this.now().slice(0, 10),
      },
      options.locate,
    );
    const placed: { row: OrderRow; name: string; statement: CreditStatement }[] = [];
    // A held order does not weigh in the exposure: only approved ones change what counters hold.
    // Per customer: the statement its last approved order was decided on, and the snapshot version
    // taken in the orders' transaction (kept by its commit: the snapshot needs no commit of its own).
    const approved = new Map<string, { statement: CreditStatement; version: number }>();
    const run = this.options.store.db.transaction(() => {
      for (const order of resolved)
        placed.push({ ...this.storeOne(order, actor), name: order.customerName });
      const views = placed.map(({ row }) => this.view(row));
      if (options.dryRun) throw new DryRun(views);
      for (const { row, statement } of placed)
        if (row.state !== "held") approved.set(row.customer, { statement, version: 0 });
      for (const [customer, after] of approved)
        after.version = this.credit.snapshots.reserveVersion(customer);
      return views;
    });
    let views: OrderView[];
    try {
      views = run();
    } catch (error) {
      if (error instanceof DryRun) return error.views;
      throw error;
    }
    // Nothing else can change the customers' figures between the commit and here: their statements
    // with the open orders read again are the snapshots to publish.
    for (const [customer, { statement, version }] of approved)
      this.credit.snapshots.publishSoon(customer, {
        statement: this.credit.statements.afterOrders(statement),
        version,
      });
    for (const { row, name } of placed) this.announce(row, name, null, actorLabel(actor));
    return views;
  }

  /** The order, or undefined. */
  get(number: string): OrderView | undefined {
    return this.reads.get(number);
  }

  /** Held first, then newest; with the count of orders per state. */
  list(filter: { state?: OrderState; customer?: string; limit?: number }) {
    return this.reads.list(filter);
  }

  /**
   * The credit manager's override: releases a held order whatever the
   * figures say, with the reason, who, and the exposure before and after.
   */
  release(number: string, reason: string, actor: Actor): OrderView {
    const row = this.mustGet(number);
    if (row.state !== "held")
      throw new OrderRefused(409, [
        {
          path: "",
          message: `order ${number} is ${row.state}, not held: there is nothing to release`,
        },
      ]);
    const limit = this.credit.statement(row.customer)?.limit ?? null;
    const { next } = this.step(
      row,
      { credit_state: "released", state: "released" },
      { type: "order.released", actor, reason },
      { override: true, reason, amount: row.total, currency: row.currency, limit },
    );
    this.announce(next, this.customerName(row.customer), "held", actorLabel(actor), reason);
    this.republish(row.customer);
    return this.view(next);
  }

  /** Cancels an order not yet shipped or invoiced; what it held in exposure is freed, holds may lift. */
  cancel(number: string, reason: string | undefined, actor: Actor): OrderView {
    const row = this.mustGet(number);
    if (row.state === "cancelled" || row.state === "shipped" || row.state === "invoiced")
      throw new OrderRefused(409, [
        { path: "", message: `order ${number} is ${row.state}: it can no longer be cancelled` },
      ]);
    const { next, seq } = this.step(
      row,
      { cancelled: 1, state: "cancelled" },
      { type: "order.cancelled", actor, ...(reason ? { reason } : {}) },
      { previous: row.state, ...(reason ? { reason } : {}) },
    );
    this.announce(next, this.customerName(row.customer), row.state, actorLabel(actor), reason);
    this.republish(row.customer);
    this.releaseHeld(row.customer, { kind: "cancel", order: number, seq });
    return this.view(next);
  }

  /**
   * Decides the customer's held orders oldest first (order date, then entry)
   * and releases each that the rules approve now, each counting in the
   * exposure for the next; stops at the first that blocks. Returns the
   * orders released.
   */
  releaseHeld(customer: string, cause: ReleaseCause): string[] {
    const released: string[] = [];
    for (const row of this.records.held(customer)) {
      const statement = this.credit.statement(customer);
      if (!statement) break;
      const decision = this.decide(statement, row.total);
      if (decision.decision === "block") {
        // Still held: the reasons shown are today's.
        this.records.setDecision(row.number, decision);
        break;
      }
      const { next } = this.step(
        row,
        { credit_state: "released", state: "released", decision: JSON.stringify(decision) },
        { type: "order.released", actor: SYSTEM, reason: `back within the rules (${cause.kind})` },
        {
          override: false,
          cause,
          amount: row.total,
          currency: row.currency,
          decision: decision.decision,
          reasons: decision.reasons,
          figures: decision.figures,
        },
      );
      this.log.info({ order: row.number, customer, cause }, "held order released");
      this.announce(next, this.customerName(customer), "held", actorLabel(SYSTEM));
      released.push(row.number);
    }
    if (released.length > 0) this.republish(customer);
    return released;
  }

  /**
   * One credit step of an order (released, cancelled) in one transaction:
   * the row changed and settled against its goods, the gateway-ledger entry
   * with the exposure before and after, and the history line naming it.
   */
  private step(
    row: OrderRow,
    change: { credit_state?: "released"; cancelled?: number; state: OrderState; decision?: string },
    entry: { type: string; actor: Actor; reason?: string },
    data: Record<string, unknown>,
  ): { next: OrderRow; seq: number } {
    return this.options.store.db.transaction(() => {
      const before = this.exposure(row.customer);
      const next = this.settle(this.records.setState(row, change, this.now()));
      const after = this.exposure(row.customer);
      const recorded = this.ledger.record(
        entry.type,
        {
          order: row.number,
          customer: row.customer,
          ...data,
          exposureBefore: before,
          exposureAfter: after,
        },
        entry.actor,
      );
      this.records.addEvent({
        number: row.number,
        seq: recorded.seq,
        at: this.now(),
        state: change.state,
        by: actorLabel(entry.actor),
        reason: entry.reason ?? null,
        exposure_before: before,
        exposure_after: after,
      });
      return { next, seq: recorded.seq };
    })();
  }

  /** Recomputes the fulfilment state of the customer's orders (after invoices, payments, shipments). */
  refresh(customer: string): void {
    for (const row of this.records.following(customer)) this.refreshOne(row);
  }

  /** One order's state from its goods and invoices; a change bumps the version and is announced. */
  refreshOne(row: OrderRow): OrderRow {
    const state = this.fulfilmentState(row);
    if (state === row.state) return row;
    const next = this.options.store.db.transaction(() => {
      const changed = this.records.setState(row, { state }, this.now());
      this.records.addEvent({
        number: row.number,
        seq: null,
        at: this.now(),
        state,
        by: "system:fulfilment",
        reason: null,
        exposure_before: null,
        exposure_after: null,
      });
      return changed;
    })();
    this.announce(next, this.customerName(row.customer), row.state, "system:fulfilment");
    return next;
  }

  /**
   * Call after node batches were stored (of `node`, or of every chain): the
   * goods tagged for orders move their fulfilment state, and goods of an
   * order held, cancelled or unknown raise "goods left under credit hold".
   */
  afterIngest(node?: string): HoldBreach[] {
    try {
      return this.dock.afterIngest(node);
    } catch (error) {
      // The batch is stored and acknowledged whatever happens here; the marks retry next time.
      this.log.error({ err: error, node }, "order fulfilment and hold breaches not checked");
      return [];
    }
  }

  /** At start: every order the dock may still meet, so nodes begin with current states (retained). */
  async publishAll(): Promise<void> {
    const asOf = this.now();
    await Promise.all(
      this.records
        .unfinished()
        .map((row) =>
          this.options.publisher?.publish(stateMessage(row, this.customerName(row.customer), asOf)),
        ),
    );
  }

  /** The decision the counter would take on the live figures: no pending sales, online. */
  decide(statement: CreditStatement, amount: number): CreditDecision {
    return decideCredit({
      snapshot: { ...this.credit.statements.standing(statement), status: statement.status },
      pendingOwnSales: 0,
      amount,
      policy: this.credit.policy,
      now: this.clock.now(),
      offline: false,
      locale: this.credit.locale,
    });
  }

  /** The live feed's event and the node's retained state of a change already committed. */
  announce(
    row: OrderRow,
    name: string,
    previous: OrderState | null,
    by: string,
    reason?: string,
  ): void {
    this.options.events?.publish?.("order", liveChange(row, name, previous, by, reason));
    const publisher = this.options.publisher;
    if (!publisher) return;
    // Signed and sent once the request is answered (in the order of the changes: nodes keep the newest).
    const message = stateMessage(row, name, this.now());
    setImmediate(() => void publisher.publish(message));
  }

  customerName(customer: string): string {
    return this.credit.catalog.customer(customer)?.name ?? customer;
  }

  /** Decides and stores one order; returns its row and the statement it was decided on. */
  private storeOne(
    order: ResolvedOrder,
    actor: Actor,
  ): { row: OrderRow; statement: CreditStatement } {
    const statement = this.credit.statement(order.input.customer);
    if (!statement)
      throw new OrderRefused(422, [
        { path: "customer", message: `no customer ${order.input.customer}` },
      ]);
    const decision = this.decide(statement, order.total);
    const at = this.now();
    const entry = this.ledger.record("order.placed", placedEntry(order, decision), actor);
    const { row, lines, event } = placedRecords(order, decision, {
      seq: entry.seq,
      at,
      by: actorLabel(actor),
    });
    this.records.insert(row, lines);
    this.records.addEvent(event);
    return { row, statement };
  }

  /** A released order whose goods already left (or were billed) shows that instead. */
  private settle(row: OrderRow): OrderRow {
    const state = this.fulfilmentState(row);
    return state === row.state ? row : this.records.setState(row, { state }, this.now());
  }

  /** The state the order's goods and invoices put it in now. */
  private fulfilmentState(row: OrderRow): OrderState {
    return orderState(row, this.progress.lines(row.number), this.progress.progress(row.number));
  }

  private view(row: OrderRow): OrderView {
    return this.reads.view(row);
  }

  private mustGet(number: string): OrderRow {
    const row = this.records.get(number);
    if (!row) throw new OrderRefused(404, [{ path: "number", message: `no order ${number}` }]);
    return row;
  }

  private exposure(customer: string): number {
    return this.credit.statement(customer)?.exposure.total ?? 0;
  }

  /**
   * The customer's credit snapshot, republished off the request's path: a
   * burst of orders for one customer reads its figures once.
   */
  private republish(customer: string): void {
    this.credit.snapshots.publishSoon(customer);
  }

  /** The gateway-ledger entry just committed: the payment, credit note or undo that told the change. */
  private lastEntry(): { seq: number; type: string } | undefined {
    return prepared<[string], { seq: number; type: string }>(
      this.options.store.db,
      "SELECT seq, type FROM entries WHERE chain = ? ORDER BY seq DESC LIMIT 1",
    ).get(GATEWAY_CHAIN);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

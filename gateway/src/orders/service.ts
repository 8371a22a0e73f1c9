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
import type { Store } from "../store/store.js";
import { DockWatch, type HoldBreach } from "./dock-watch.js";
import { orderState } from "./fulfilment.js";
import { ProgressReader } from "./progress.js";
import type { OrderStatePublisher } from "./publisher.js";
import { actorLabel, OrderRecords, type OrderRow } from "./records.js";
import { type OrderLocator, OrderRefused, type ResolvedOrder, resolveOrders } from "./resolve.js";
import { liveChange, orderView, stateMessage, toRelease } from "./views.js";

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

  constructor(private readonly options: OrderServiceOptions) {
    const { db } = options.store;
    this.records = new OrderRecords(db);
    this.progress = new ProgressReader(db);
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).child({ module: "orders" });
    this.credit = options.credit;
    this.ledger = options.ledger;
    this.dock = new DockWatch(db, this, this.ledger, { events: options.events, log: this.log });
    // A payment, a credit note, an undo, an invoice: fulfilment may move, holds may lift.
    this.credit.receivables.changes.onChange((customers) => {
      const entry = this.lastEntry();
      for (const customer of customers) {
        this.refresh(customer);
        this.releaseHeld(customer, {
          kind: "receivables",
          ...(entry ? { seq: entry.seq, type: entry.type } : {}),
        });
      }
    });
    this.credit.catalog.onChange((change) => {
      if (change.kind === "customer")
        this.releaseHeld(change.id, { kind: "limit", seq: this.ledger.head.seq });
    });
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
    const placed: { row: OrderRow; name: string }[] = [];
    const run = this.options.store.db.transaction(() => {
      for (const order of resolved)
        placed.push({ row: this.storeOne(order, actor), name: order.customerName });
      const views = placed.map(({ row }) => this.view(row));
      if (options.dryRun) throw new DryRun(views);
      return views;
    });
    let views: OrderView[];
    try {
      views = run();
    } catch (error) {
      if (error instanceof DryRun) return error.views;
      throw error;
    }
    for (const { row, name } of placed) this.announce(row, name, null, actorLabel(actor));
    for (const customer of new Set(placed.map(({ row }) => row.customer)))
      void this.credit.snapshots.publishCustomer(customer);
    return views;
  }

  /** The order, or undefined. */
  get(number: string): OrderView | undefined {
    const row = this.records.get(number);
    return row ? this.view(row) : undefined;
  }

  /** Held first, then newest; with the count of orders per state. */
  list(filter: { state?: OrderState; customer?: string }) {
    const statements = new Map<string, CreditStatement | undefined>();
    const orders = this.records.list(filter).map((row) => this.view(row, statements));
    return { orders, counts: this.records.counts() };
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
    const name = this.customerName(row.customer);
    const next = this.options.store.db.transaction(() => {
      const before = this.exposure(row.customer);
      const released = this.records.setState(
        row,
        { credit_state: "released", state: "released" },
        this.now(),
      );
      const settled = this.settle(released);
      const after = this.exposure(row.customer);
      const entry = this.ledger.record(
        "order.released",
        {
          order: number,
          customer: row.customer,
          override: true,
          reason,
          amount: row.total,
          currency: row.currency,
          exposureBefore: before,
          exposureAfter: after,
          limit: this.credit.statement(row.customer)?.limit ?? null,
        },
        actor,
      );
      this.records.addEvent({
        number,
        seq: entry.seq,
        at: this.now(),
        state: "released",
        by: actorLabel(actor),
        reason,
        exposure_before: before,
        exposure_after: after,
      });
      return settled;
    })();
    this.announce(next, name, "held", actorLabel(actor), reason);
    void this.credit.snapshots.publishCustomer(row.customer);
    return this.view(next);
  }

  /** Cancels an order not yet shipped or invoiced; what it held in exposure is freed, holds may lift. */
  cancel(number: string, reason: string | undefined, actor: Actor): OrderView {
    const row = this.mustGet(number);
    if (row.state === "cancelled" || row.state === "shipped" || row.state === "invoiced")
      throw new OrderRefused(409, [
        { path: "", message: `order ${number} is ${row.state}: it can no longer be cancelled` },
      ]);
    const name = this.customerName(row.customer);
    const next = this.options.store.db.transaction(() => {
      const before = this.exposure(row.customer);
      const cancelled = this.records.setState(
        row,
        { cancelled: 1, state: "cancelled" },
        this.now(),
      );
      const after = this.exposure(row.customer);
      const entry = this.ledger.record(
        "order.cancelled",
        {
          order: number,
          customer: row.customer,
          previous: row.state,
          ...(reason ? { reason } : {}),
          exposureBefore: before,
          exposureAfter: after,
        },
        actor,
      );
      this.records.addEvent({
        number,
        seq: entry.seq,
        at: this.now(),
        state: "cancelled",
        by: actorLabel(actor),
        reason: reason ?? null,
        exposure_before: before,
        exposure_after: after,
      });
      return { cancelled, seq: entry.seq };
    })();
    this.announce(next.cancelled, name, row.state, actorLabel(actor), reason);
    void this.credit.snapshots.publishCustomer(row.customer);
    this.releaseHeld(row.customer, { kind: "cancel", order: number, seq: next.seq });
    return this.view(next.cancelled);
  }

  /**
   * Decides the customer's held orders oldest first (order date, then entry)
   * and releases each that the rules approve now, each counting in the
   * exposure for the next; stops at the first that blocks. Returns the
   * orders released.
   */
  releaseHeld(customer: string, cause: ReleaseCause): string[] {
    const released: string[] = [];
    const name = this.customerName(customer);
    for (const row of this.records.held(customer)) {
      const statement = this.credit.statement(customer);
      if (!statement) break;
      const decision = this.decide(statement, row.total);
      if (decision.decision === "block") {
        this.records.setDecision(row.number, decision);
        break;
      }
      const next = this.options.store.db.transaction(() => {
        const before = statement.exposure.total;
        const done = this.settle(
          this.records.setState(
            row,
            { credit_state: "released", state: "released", decision: JSON.stringify(decision) },
            this.now(),
          ),
        );
        const after = this.exposure(customer);
        const entry = this.ledger.record(
          "order.released",
          {
            order: row.number,
            customer,
            override: false,
            cause,
            amount: row.total,
            currency: row.currency,
            decision: decision.decision,
            reasons: decision.reasons,
            figures: decision.figures,
            exposureBefore: before,
            exposureAfter: after,
          },
          SYSTEM,
        );
        this.records.addEvent({
          number: row.number,
          seq: entry.seq,
          at: this.now(),
          state: "released",
          by: actorLabel(SYSTEM),
          reason: `back within the rules (${cause.kind})`,
          exposure_before: before,
          exposure_after: after,
        });
        return done;
      })();
      this.log.info({ order: row.number, customer, cause }, "held order released");
      this.announce(next, name, "held", actorLabel(SYSTEM));
      released.push(row.number);
    }
    if (released.length > 0) void this.credit.snapshots.publishCustomer(customer);
    return released;
  }

  /** Recomputes the fulfilment state of the customer's orders (after invoices, payments, shipments). */
  refresh(customer: string): void {
    for (const row of this.records.following(customer)) this.refreshOne(row);
  }

  /** One order's state from its goods and invoices; a change bumps the version and is announced. */
  refreshOne(row: OrderRow): OrderRow {
    const state = orderState(
      row,
      this.progress.lines(row.number),
      this.progress.progress(row.number),
    );
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
    return this.dock.afterIngest(node);
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
    void this.options.publisher?.publish(stateMessage(row, name, this.now()));
  }

  customerName(customer: string): string {
    return this.credit.catalog.customer(customer)?.name ?? customer;
  }

  private storeOne(order: ResolvedOrder, actor: Actor): OrderRow {
    const statement = this.credit.statement(order.input.customer);
    if (!statement)
      throw new OrderRefused(422, [
        { path: "customer", message: `no customer ${order.input.customer}` },
      ]);
    const decision = this.decide(statement, order.total);
    const state = decision.decision === "approve" ? "approved" : "held";
    const at = this.now();
    const entry = this.ledger.record(
      "order.placed",
      {
        order: order.input.number,
        customer: order.input.customer,
        amount: order.total,
        currency: order.currency,
        orderDate: order.orderDate,
        requestedShipDate: order.input.requestedShipDate,
        state,
        decision: decision.decision,
        reasons: decision.reasons,
        figures: decision.figures,
      },
      actor,
    );
    const row: OrderRow = {
      number: order.input.number,
      customer: order.input.customer,
      order_date: order.orderDate,
      requested_ship_date: order.input.requestedShipDate,
      currency: order.currency,
      total: order.total,
      credit_state: state,
      cancelled: 0,
      state,
      decision: JSON.stringify(decision),
      version: 1,
      created_seq: entry.seq,
      created_at: at,
      updated_at: at,
    };
    this.records.insert(row, order.lines);
    this.records.addEvent({
      number: row.number,
      seq: entry.seq,
      at,
      state,
      by: actorLabel(actor),
      reason: state === "held" ? decision.reasons.map((reason) => reason.message).join("; ") : null,
      exposure_before: decision.figures.exposure,
      exposure_after:
        state === "approved" ? decision.figures.exposure + order.total : decision.figures.exposure,
    });
    return row;
  }

  /** A released order whose goods already left (or were billed) shows that instead. */
  private settle(row: OrderRow): OrderRow {
    const state = orderState(
      row,
      this.progress.lines(row.number),
      this.progress.progress(row.number),
    );
    return state === row.state ? row : this.records.setState(row, { state }, this.now());
  }

  private view(
    row: OrderRow,
    statements = new Map<string, CreditStatement | undefined>(),
  ): OrderView {
    let amount: number | null = null;
    if (row.state === "held") {
      if (!statements.has(row.customer))
        statements.set(row.customer, this.credit.statement(row.customer));
      const statement = statements.get(row.customer);
      if (statement)
        amount = toRelease(row, statement, this.records.held(row.customer), this.credit.policy);
    }
    return orderView(row, {
      catalog: this.credit.catalog,
      progress: this.progress,
      events: this.records.events(row.number),
      toRelease: amount,
    });
  }

  private mustGet(number: string): OrderRow {
    const row = this.records.get(number);
    if (!row) throw new OrderRefused(404, [{ path: "number", message: `no order ${number}` }]);
    return row;
  }

  private exposure(customer: string): number {
    return this.credit.statement(customer)?.exposure.total ?? 0;
  }

  /** The gateway-ledger entry just committed: the payment, credit note or undo that told the change. */
  private lastEntry(): { seq: number; type: string } | undefined {
    return this.options.store.db
      .prepare<[string], { seq: number; type: string }>(
        "SELECT seq, type FROM entries WHERE chain = ? ORDER BY seq DESC LIMIT 1",
      )
      .get(GATEWAY_CHAIN);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

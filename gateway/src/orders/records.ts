import { type CreditDecision, ORDER_STATES, type OrderState } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import { prepared } from "../store/prepared.js";
import type { OrderLineRow } from "./progress.js";
import { ensureOrderTables } from "./tables.js";

export type CreditState = "approved" | "held" | "released";

/** An order as stored (tables.ts). */
export interface OrderRow {
  number: string;
  customer: string;
  order_date: string;
  requested_ship_date: string;
  currency: string;
  total: number;
  credit_state: CreditState;
  cancelled: number;
  state: OrderState;
  /** JSON of the last CreditDecision: at entry, or at the last release attempt. */
  decision: string;
  version: number;
  created_seq: number;
  created_at: string;
  updated_at: string;
}

export interface OrderEventRow {
  number: string;
  seq: number | null;
  at: string;
  state: OrderState;
  by: string;
  reason: string | null;
  exposure_before: number | null;
  exposure_after: number | null;
}

/** "token:…", "user:…", "system:credit": who, as an order's history shows it. */
export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

export function decisionOf(row: OrderRow): CreditDecision {
  return JSON.parse(row.decision) as CreditDecision;
}

/**
 * The order tables' reads and writes, prepared once. Writes never open a
 * transaction of their own: the service wraps each change with its
 * gateway-ledger entry.
 */
export class OrderRecords {
  private readonly one;
  private readonly insertOrder;
  private readonly insertLine;
  private readonly insertEvent;
  private readonly updateState;
  private readonly updateDecision;
  private readonly heldRows;
  private readonly eventRows;
  private readonly stateCounts;
  private readonly followingRows;

  constructor(private readonly db: Database.Database) {
    ensureOrderTables(db);
    this.one = db.prepare<[string], OrderRow>("SELECT * FROM orders WHERE number = ?");
    this.insertOrder = db.prepare<OrderRow>(
      `INSERT INTO orders (number, customer, order_date, requested_ship_date, currency, total, credit_state,
         cancelled, state, decision, version, created_seq, created_at, updated_at)
       VALUES (@number, @customer, @order_date, @requested_ship_date, @currency, @total, @credit_state,
         @cancelled, @state, @decision, @version, @created_seq, @created_at, @updated_at)`,
    );
    this.insertLine = db.prepare<OrderLineRow>(
      "INSERT INTO order_lines (number, line, sku, gtin, quantity, unit_price) VALUES (@number, @line, @sku, @gtin, @quantity, @unit_price)",
    );
    this.insertEvent = db.prepare<OrderEventRow>(
      `INSERT INTO order_events (number, seq, at, state, by, reason, exposure_before, exposure_after)
       VALUES (@number, @seq, @at, @state, @by, @reason, @exposure_before, @exposure_after)`,
    );
    this.updateState = db.prepare<{
      number: string;
      credit_state: CreditState;
      cancelled: number;
      state: OrderState;
      decision: string;
      at: string;
    }>(
      `UPDATE orders SET credit_state = @credit_state, cancelled = @cancelled, state = @state,
         decision = @decision, version = version + 1, updated_at = @at WHERE number = @number`,
    );
    this.updateDecision = db.prepare<[string, string]>(
      "UPDATE orders SET decision = ? WHERE number = ?",
    );
    this.heldRows = db.prepare<[string], OrderRow>(
      "SELECT * FROM orders WHERE customer = ? AND credit_state = 'held' AND cancelled = 0 ORDER BY order_date, created_seq",
    );
    this.eventRows = db.prepare<[string], OrderEventRow>(
      "SELECT number, seq, at, state, by, reason, exposure_before, exposure_after FROM order_events WHERE number = ? ORDER BY id",
    );
    this.followingRows = db.prepare<[string], OrderRow>(
      "SELECT * FROM orders WHERE customer = ? AND cancelled = 0 AND credit_state != 'held' AND state != 'invoiced'",
    );
    this.stateCounts = db.prepare<[], { state: OrderState; count: number }>(
      "SELECT state, COUNT(*) AS count FROM orders GROUP BY state",
    );
  }

  get(number: string): OrderRow | undefined {
    return this.one.get(number);
  }

  insert(order: OrderRow, lines: readonly OrderLineRow[]): void {
    this.insertOrder.run(order);
    for (const line of lines) this.insertLine.run(line);
  }

  addEvent(event: OrderEventRow): void {
    this.insertEvent.run(event);
  }

  /** Sets what changed and bumps the version (a node keeps the highest it has seen). */
  setState(
    row: OrderRow,
    change: Partial<Pick<OrderRow, "credit_state" | "cancelled" | "state" | "decision">>,
    at: string,
  ): OrderRow {
    const next = { ...row, ...change, version: row.version + 1, updated_at: at };
    this.updateState.run({
      number: row.number,
      credit_state: next.credit_state,
      cancelled: next.cancelled,
      state: next.state,
      decision: next.decision,
      at,
    });
    return next;
  }

  /** The decision of a release attempt that blocked: the reasons shown stay current; not a state change. */
  setDecision(number: string, decision: CreditDecision): void {
    this.updateDecision.run(JSON.stringify(decision), number);
  }

  /** The customer's held orders in the order holds are released: order date, then entry. */
  held(customer: string): OrderRow[] {
    return this.heldRows.all(customer);
  }

  events(number: string): OrderEventRow[] {
    return this.eventRows.all(number);
  }

  /** Orders per state, all customers; every state, 0 when none. */
  counts(): Record<OrderState, number> {
    const counts = Object.fromEntries(ORDER_STATES.map((state) => [state, 0])) as Record<
      OrderState,
      number
    >;
    for (const row of this.stateCounts.all()) counts[row.state] = row.count;
    return counts;
  }

  /** Held orders first, then newest first. */
  list(filter: { state?: OrderState; customer?: string; limit?: number }): OrderRow[] {
    const where: string[] = [];
    const values: Record<string, string | number> = { limit: filter.limit ?? 200 };
    if (filter.state) {
      where.push("state = @state");
      values.state = filter.state;
    }
    if (filter.customer) {
      where.push("customer = @customer");
      values.customer = filter.customer;
    }
    return prepared<Record<string, string | number>, OrderRow>(
      this.db,
      `SELECT * FROM orders ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY state = 'held' DESC, order_date DESC, created_seq DESC LIMIT @limit`,
    ).all(values);
  }

  /** Orders of the customer whose state may still follow their goods and invoices (not held, cancelled or invoiced, which stays). */
  following(customer: string): OrderRow[] {
    return this.followingRows.all(customer);
  }

  /** Orders the dock still has to know about: not shipped, invoiced or cancelled. */
  unfinished(): OrderRow[] {
    return this.db
      .prepare<[], OrderRow>(
        "SELECT * FROM orders WHERE state NOT IN ('shipped', 'invoiced', 'cancelled') ORDER BY created_seq",
      )
      .all();
  }
}

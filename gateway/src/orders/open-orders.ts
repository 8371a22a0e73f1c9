import type Database from "better-sqlite3";
import type { ExposureDocument } from "../credit/exposure.js";
import { productSql } from "../store/identity.js";
import { addBilled, type OrderLineRow, type OrderProgress, openUnits } from "./progress.js";
import { ensureOrderTables } from "./tables.js";

interface OpenOrderLine extends OrderLineRow {
  order_date: string;
}

/** The three reads of a customer's open orders, prepared once per connection. */
class OpenOrderReads {
  readonly lines;
  readonly shipped;
  readonly invoiced;

  constructor(db: Database.Database) {
    ensureOrderTables(db);
    // Shipped orders are left out: every unit of theirs left, none is open.
    this.lines = db.prepare<[string, string], OpenOrderLine>(
      `SELECT o.number, o.order_date, l.line, l.sku, l.gtin, l.quantity, l.unit_price
         FROM orders o JOIN order_lines l ON l.number = o.number
        WHERE o.customer = ? AND o.currency = ? AND o.cancelled = 0
          AND o.credit_state IN ('approved', 'released') AND o.state != 'shipped'
        ORDER BY o.order_date, o.created_seq, l.line`,
    );
    this.shipped = db.prepare<[string], { order_ref: string; product: string; items: number }>(
      `SELECT s.order_ref, COALESCE(${productSql("s")}, 'gtin:' || s.gtin) AS product, COUNT(*) AS items
         FROM shipments s WHERE s.customer = ? AND s.order_ref IS NOT NULL GROUP BY 1, 2`,
    );
    this.invoiced = db.prepare<
      [string],
      { order_ref: string; type: string; product: string | null; quantity: number | null }
    >(
      `SELECT i.order_ref, i.type, COALESCE(${productSql("l")}, 'gtin:' || l.gtin) AS product, l.quantity
         FROM invoices i LEFT JOIN invoice_lines l
           ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
        WHERE i.direction = 'customer' AND i.customer = ? AND i.order_ref IS NOT NULL`,
    );
  }
}

const prepared = new WeakMap<Database.Database, OpenOrderReads>();

/**
 * The exposure's "open orders" component (business-rules.md, "Orders"):
 * orders approved or released, not cancelled (held ones do not count), each
 * valued at its unit prices for the units of its lines neither shipped nor
 * invoiced. Shipped units count as shipped-not-invoiced, billed ones as open
 * invoices: nothing is counted twice. Three queries per customer, however
 * many orders it has: the decision at order entry reads this every time.
 */
export function openOrderDocuments(
  db: Database.Database,
  customer: string,
  currency: string,
): ExposureDocument[] {
  let reads = prepared.get(db);
  if (!reads) {
    reads = new OpenOrderReads(db);
    prepared.set(db, reads);
  }
  const orders = new Map<string, { date: string; lines: OrderLineRow[] }>();
  for (const line of reads.lines.all(customer, currency)) {
    const order = orders.get(line.number) ?? { date: line.order_date, lines: [] };
    order.lines.push(line);
    orders.set(line.number, order);
  }
  if (orders.size === 0) return [];
  const progress = new Map<string, OrderProgress>();
  const of = (number: string) => {
    let found = progress.get(number);
    if (!found) {
      found = { shipped: new Map(), invoiced: new Map(), invoicedAny: false };
      progress.set(number, found);
    }
    return found;
  };
  for (const row of reads.shipped.all(customer)) {
    if (orders.has(row.order_ref)) of(row.order_ref).shipped.set(row.product, row.items);
  }
  for (const row of reads.invoiced.all(customer)) {
    if (orders.has(row.order_ref)) addBilled(of(row.order_ref).invoiced, row);
  }
  const documents: ExposureDocument[] = [];
  for (const [number, order] of orders) {
    const open = openUnits(order.lines, of(number));
    const units = open.reduce((sum, count) => sum + count, 0);
    if (units === 0) continue;
    const amount = order.lines.reduce(
      (sum, line, index) => sum + (open[index] ?? 0) * line.unit_price,
      0,
    );
    documents.push({
      kind: "order",
      id: number,
      date: order.date,
      amount,
      detail: { openUnits: units },
    });
  }
  return documents;
}

import type Database from "better-sqlite3";
import type { ExposureDocument } from "../credit/exposure.js";
import { openUnits, ProgressReader } from "./progress.js";

const readers = new WeakMap<Database.Database, { reader: ProgressReader; open: OpenStatement }>();
type OpenStatement = Database.Statement<
  [string, string],
  { number: string; order_date: string; created_seq: number }
>;

/**
 * The exposure's "open orders" component (business-rules.md, "Orders"):
 * orders approved or released, not cancelled (held ones do not count), each
 * valued at its unit prices for the units of its lines neither shipped nor
 * invoiced. Shipped units count as shipped-not-invoiced, billed ones as open
 * invoices: nothing is counted twice.
 */
export function openOrderDocuments(
  db: Database.Database,
  customer: string,
  currency: string,
): ExposureDocument[] {
  let prepared = readers.get(db);
  if (!prepared) {
    const reader = new ProgressReader(db);
    prepared = {
      reader,
      open: db.prepare(
        `SELECT number, order_date, created_seq FROM orders
          WHERE customer = ? AND currency = ? AND cancelled = 0 AND credit_state IN ('approved', 'released')
          ORDER BY order_date, created_seq`,
      ),
    };
    readers.set(db, prepared);
  }
  const documents: ExposureDocument[] = [];
  for (const order of prepared.open.all(customer, currency)) {
    const lines = prepared.reader.lines(order.number);
    const open = openUnits(lines, prepared.reader.progress(order.number));
    const units = open.reduce((sum, count) => sum + count, 0);
    if (units === 0) continue;
    const amount = lines.reduce((sum, line, index) => sum + (open[index] ?? 0) * line.unit_price, 0);
    documents.push({
      kind: "order",
      id: order.number,
      date: order.order_date,
      amount,
      detail: { openUnits: units },
    });
  }
  return documents;
}

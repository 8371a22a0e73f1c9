import type Database from "better-sqlite3";
import { productSql } from "../store/identity.js";
import { ensureOrderTables } from "./tables.js";

/** An order line as stored: the product resolved when the order was placed. */
export interface OrderLineRow {
  number: string;
  line: number;
  sku: string | null;
  gtin: string | null;
  quantity: number;
  unit_price: number;
}

/** What left and what was billed for one order, per product (SKU, or `gtin:` and the GTIN). */
export interface OrderProgress {
  shipped: Map<string, number>;
  invoiced: Map<string, number>;
  /** An invoice (not a credit note) names the order as its reference. */
  invoicedAny: boolean;
}

/** The key lines, shipments and invoice lines are matched on. */
function productKey(line: { sku: string | null; gtin: string | null }): string {
  return line.sku ?? `gtin:${line.gtin ?? ""}`;
}

/**
 * Reads an order's goods seen leaving (the `shipments` rows tagged with its
 * number) and its units billed (lines of customer invoices whose order
 * reference is its number; credit notes count back), per product as the
 * catalog resolves it now.
 */
export class ProgressReader {
  private readonly shippedRows;
  private readonly invoicedRows;
  private readonly lineRows;

  constructor(db: Database.Database) {
    ensureOrderTables(db);
    this.shippedRows = db.prepare<[string], { product: string; items: number }>(
      `SELECT COALESCE(${productSql("s")}, 'gtin:' || s.gtin) AS product, COUNT(*) AS items
         FROM shipments s WHERE s.order_ref = ? GROUP BY 1`,
    );
    this.invoicedRows = db.prepare<
      [string],
      { type: string; product: string | null; quantity: number | null }
    >(
      `SELECT i.type, COALESCE(${productSql("l")}, 'gtin:' || l.gtin) AS product, l.quantity
         FROM invoices i LEFT JOIN invoice_lines l
           ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
        WHERE i.direction = 'customer' AND i.order_ref = ?`,
    );
    this.lineRows = db.prepare<[string], OrderLineRow>(
      "SELECT number, line, sku, gtin, quantity, unit_price FROM order_lines WHERE number = ? ORDER BY line",
    );
  }

  lines(number: string): OrderLineRow[] {
    return this.lineRows.all(number);
  }

  progress(number: string): OrderProgress {
    const shipped = new Map<string, number>();
    for (const row of this.shippedRows.all(number)) shipped.set(row.product, row.items);
    const invoiced = new Map<string, number>();
    let invoicedAny = false;
    for (const row of this.invoicedRows.all(number)) {
      if (row.type === "invoice") invoicedAny = true;
      addBilled(invoiced, row);
    }
    return { shipped, invoiced, invoicedAny };
  }
}

/** Adds an invoice line's units to what was billed of its product; a credit note's count back. */
export function addBilled(
  invoiced: Map<string, number>,
  row: { type: string; product: string | null; quantity: number | null },
): void {
  if (row.product === null || row.quantity === null) return;
  const sign = row.type === "credit-note" ? -1 : 1;
  invoiced.set(
    row.product,
    (invoiced.get(row.product) ?? 0) + sign * Math.abs(Math.round(row.quantity)),
  );
}

/**
 * The units of a line neither shipped nor invoiced: max(0, quantity −
 * max(shipped, invoiced)). Several lines of one product share what left,
 * first line first.
 */
export function openUnits(lines: readonly OrderLineRow[], progress: OrderProgress): number[] {
  const shippedLeft = new Map(progress.shipped);
  const invoicedLeft = new Map(progress.invoiced);
  return lines.map((line) => {
    const key = productKey(line);
    const shipped = Math.min(line.quantity, Math.max(0, shippedLeft.get(key) ?? 0));
    const invoiced = Math.min(line.quantity, Math.max(0, invoicedLeft.get(key) ?? 0));
    shippedLeft.set(key, (shippedLeft.get(key) ?? 0) - shipped);
    invoicedLeft.set(key, (invoicedLeft.get(key) ?? 0) - invoiced);
    return Math.max(0, line.quantity - Math.max(shipped, invoiced));
  });
}

/** Per line, the units seen leaving and billed (shared out first line first), for the answer. */
export function lineFigures(
  lines: readonly OrderLineRow[],
  progress: OrderProgress,
): { shipped: number; invoiced: number }[] {
  const shippedLeft = new Map(progress.shipped);
  const invoicedLeft = new Map(progress.invoiced);
  return lines.map((line, index) => {
    const key = productKey(line);
    const last = !lines.slice(index + 1).some((other) => productKey(other) === key);
    // The last line of a product takes whatever is left: more can leave than was ordered.
    const take = (left: Map<string, number>) => {
      const available = Math.max(0, left.get(key) ?? 0);
      const taken = last ? available : Math.min(line.quantity, available);
      left.set(key, available - taken);
      return taken;
    };
    return { shipped: take(shippedLeft), invoiced: take(invoicedLeft) };
  });
}

import type Database from "better-sqlite3";
import { productSql } from "../store/identity.js";
import { prepared } from "../store/prepared.js";
import type { ExposureDocument } from "./exposure.js";

/** A product's unit price in the site's currency; undefined when it has none (or is no product). */
type CatalogPrice = (sku: string) => number | undefined;

interface ShippedRow {
  order_ref: string | null;
  product: string | null;
  items: number;
  first: string;
  last: string;
}

interface LineRow {
  number: string;
  type: "invoice" | "credit-note";
  order_ref: string | null;
  issue_date: string;
  net_total: number;
  /** null: an invoice without lines (MINIMUM, BASIC WL). */
  product: string | null;
  quantity: number | null;
  unit_price: number | null;
}

interface OrderGoods {
  items: number;
  first: string;
  last: string;
  /** Product (SKU, or `gtin:` and the GTIN when no product has it) → items seen leaving. */
  seen: Map<string, number>;
}

/**
 * Goods shipped to a customer but not invoiced, per order: for each product,
 * the items seen leaving beyond the quantity the order's invoices bill
 * (credit notes count back), valued at the unit price of the order's first
 * invoice of that product, else the catalog's. Items of an unknown product
 * have no price and are counted as unpriced. Goods shipped without an order
 * are matched with the customer's invoices without an order reference
 * issued on or after the first such shipment's day. An order billed by an
 * invoice without lines cannot be matched per product: its invoices' net
 * totals are subtracted from the goods' catalog value instead.
 */
export function shippedGoods(
  db: Database.Database,
  catalogPrice: CatalogPrice,
  customer: string,
  currency: string,
): ExposureDocument[] {
  const orders = new Map<string | null, OrderGoods>();
  for (const row of prepared<[string], ShippedRow>(
    db,
    `SELECT order_ref, COALESCE(${productSql("s")}, 'gtin:' || s.gtin) AS product,
              COUNT(*) AS items, MIN(at) AS first, MAX(at) AS last
         FROM shipments s WHERE customer = ? GROUP BY order_ref, 2`,
  ).all(customer)) {
    const order = orders.get(row.order_ref) ?? {
      items: 0,
      first: row.first,
      last: row.last,
      seen: new Map(),
    };
    const product = row.product ?? "";
    order.seen.set(product, (order.seen.get(product) ?? 0) + row.items);
    order.items += row.items;
    if (row.first < order.first) order.first = row.first;
    if (row.last > order.last) order.last = row.last;
    orders.set(row.order_ref, order);
  }
  if (orders.size === 0) return [];
  const lines = prepared<[string, string], LineRow>(
    db,
    `SELECT i.number, i.type, i.order_ref, i.issue_date, i.net_total,
              COALESCE(${productSql("l")}, 'gtin:' || l.gtin) AS product, l.quantity, l.unit_price
         FROM invoices i LEFT JOIN invoice_lines l
           ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
        WHERE i.direction = 'customer' AND i.customer = ? AND i.currency = ?
        ORDER BY i.issue_date, i.number`,
  ).all(customer, currency);

  const documents: ExposureDocument[] = [];
  for (const [orderRef, goods] of orders) {
    const firstDay = goods.first.slice(0, 10);
    const billing = lines.filter((line) =>
      orderRef === null
        ? line.order_ref === null && line.issue_date >= firstDay
        : line.order_ref === orderRef,
    );
    // An invoice without lines (not a credit note: those may have none) bills no product.
    const value = billing.some((line) => line.quantity === null && line.type === "invoice")
      ? byValue(goods, billing, catalogPrice)
      : byProduct(goods, billing, catalogPrice);
    if (value.amount <= 0) continue;
    documents.push({
      kind: "shipment",
      id: orderRef ?? "(no order)",
      date: goods.last,
      amount: value.amount,
      detail: {
        items: goods.items,
        notInvoicedItems: value.items,
        ...(value.unpriced > 0 ? { unpricedItems: value.unpriced } : {}),
      },
    });
  }
  return documents;
}

function byProduct(goods: OrderGoods, billing: readonly LineRow[], catalogPrice: CatalogPrice) {
  const billed = new Map<string, number>();
  const price = new Map<string, number>();
  for (const line of billing) {
    const product = line.product ?? "";
    const sign = line.type === "credit-note" ? -1 : 1;
    billed.set(product, (billed.get(product) ?? 0) + sign * Math.abs(line.quantity ?? 0));
    // Lines come oldest invoice first: the first price met is the order's.
    if (line.type === "invoice" && !price.has(product) && line.unit_price !== null)
      price.set(product, line.unit_price);
  }
  let amount = 0;
  let items = 0;
  let unpriced = 0;
  for (const [product, seen] of goods.seen) {
    const surplus = seen - (billed.get(product) ?? 0);
    if (surplus <= 0) continue;
    items += surplus;
    const unit = price.get(product) ?? catalogPrice(product);
    if (unit === undefined) unpriced += surplus;
    else amount += Math.round(unit * surplus);
  }
  return { amount, items, unpriced };
}

function byValue(goods: OrderGoods, billing: readonly LineRow[], catalogPrice: CatalogPrice) {
  let shipped = 0;
  let unpriced = 0;
  for (const [product, seen] of goods.seen) {
    const unit = catalogPrice(product);
    if (unit === undefined) unpriced += seen;
    else shipped += unit * seen;
  }
  const invoiced = new Map<string, number>();
  for (const line of billing)
    if (line.type === "invoice") invoiced.set(line.number, line.net_total);
  const covered = [...invoiced.values()].reduce((sum, net) => sum + net, 0);
  return { amount: Math.max(0, shipped - covered), items: goods.items, unpriced };
}

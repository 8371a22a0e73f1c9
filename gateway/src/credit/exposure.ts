import type Database from "better-sqlite3";
import type { Receivables } from "../receivables/receivables.js";
import type { Catalog } from "../store/catalog.js";

/**
 * A customer's exposure, itemised as business-rules.md defines it:
 *   open invoices − unapplied payments (and unused credit notes)
 *   + shipped (RFID-observed) but not invoiced
 *   + on-account counter sales not yet invoiced.
 * Each component lists the documents behind it.
 *
 * Shipped but not invoiced, kept simple on purpose (the reconciliation
 * matches per GTIN later): items that left through a portal with the dock's
 * customer set are valued at the catalog's current unit price; per order,
 * the net totals of the customer's invoices with that order reference
 * (BT-13) are subtracted; items shipped without an order are covered by the
 * customer's invoices without an order reference issued on or after the
 * first such shipment's day. A counter sale stops counting once any invoice
 * of the customer has the sale's id as order reference.
 */

export interface ExposureDocument {
  kind: "invoice" | "instalment" | "payment" | "credit-note" | "shipment" | "sale";
  id: string;
  date: string;
  /** The amount this document adds to the exposure (negative for credits). */
  amount: number;
  detail?: Record<string, unknown>;
}

export interface ExposureComponent {
  amount: number;
  documents: ExposureDocument[];
}

export interface Exposure {
  total: number;
  openInvoices: ExposureComponent;
  unappliedPayments: ExposureComponent;
  shippedNotInvoiced: ExposureComponent;
  counterSales: ExposureComponent;
}

export function computeExposure(
  db: Database.Database,
  receivables: Receivables,
  catalog: Catalog,
  customer: string,
  currency: string,
): Exposure {
  const openInvoices = component(
    receivables.openInvoices(customer).map((invoice) => ({
      kind: "invoice" as const,
      id: invoice.number,
      date: invoice.dueDate,
      amount: invoice.balance,
      detail: { issueDate: invoice.issueDate },
    })),
  );
  const unappliedPayments = component(
    receivables.unappliedCredits(customer).map((credit) => ({
      kind: credit.kind,
      id: credit.id,
      date: credit.date,
      amount: -credit.amount,
    })),
  );
  const invoicedRefs = receivables.invoicedOrderRefs(customer);
  const shippedNotInvoiced = component(shipped(db, receivables, catalog, customer, currency));
  const sales = db
    .prepare<
      [string, string],
      { id: string; chain: string; seq: number; total: number; at: string; clerk: string }
    >(
      `SELECT id, chain, seq, total, at, clerk FROM sales
       WHERE customer = ? AND payment = 'account' AND currency = ? ORDER BY at, synced`,
    )
    .all(customer, currency)
    .filter((sale) => !invoicedRefs.has(sale.id));
  const counterSales = component(
    sales.map((sale) => ({
      kind: "sale" as const,
      id: sale.id,
      date: sale.at,
      amount: sale.total,
      detail: { node: sale.chain, seq: sale.seq, clerk: sale.clerk },
    })),
  );
  return {
    total:
      openInvoices.amount +
      unappliedPayments.amount +
      shippedNotInvoiced.amount +
      counterSales.amount,
    openInvoices,
    unappliedPayments,
    shippedNotInvoiced,
    counterSales,
  };
}

function shipped(
  db: Database.Database,
  receivables: Receivables,
  catalog: Catalog,
  customer: string,
  currency: string,
): ExposureDocument[] {
  const rows = db
    .prepare<
      [string],
      { order_ref: string | null; sku: string | null; items: number; first: string; last: string }
    >(
      `SELECT order_ref, sku, COUNT(*) AS items, MIN(at) AS first, MAX(at) AS last FROM shipments
       WHERE customer = ? GROUP BY order_ref, sku`,
    )
    .all(customer);
  if (rows.length === 0) return [];
  const prices = new Map<string, number>();
  for (const product of catalog.products()) {
    if (product.unitPrice.currency === currency) prices.set(product.sku, product.unitPrice.amount);
  }
  const orders = new Map<
    string | null,
    { value: number; items: number; unpriced: number; first: string; last: string }
  >();
  for (const row of rows) {
    const order = orders.get(row.order_ref) ?? {
      value: 0,
      items: 0,
      unpriced: 0,
      first: row.first,
      last: row.last,
    };
    const price = row.sku === null ? undefined : prices.get(row.sku);
    if (price === undefined) order.unpriced += row.items;
    else order.value += price * row.items;
    order.items += row.items;
    if (row.first < order.first) order.first = row.first;
    if (row.last > order.last) order.last = row.last;
    orders.set(row.order_ref, order);
  }
  const invoiced = receivables.invoicedNetByOrder(customer);
  const documents: ExposureDocument[] = [];
  for (const [orderRef, order] of orders) {
    const firstDay = order.first.slice(0, 10);
    const covered = invoiced
      .filter((invoice) =>
        orderRef === null
          ? invoice.orderRef === null && invoice.issueDate >= firstDay
          : invoice.orderRef === orderRef,
      )
      .reduce((sum, invoice) => sum + invoice.net, 0);
    const amount = Math.max(0, order.value - covered);
    if (amount === 0) continue;
    documents.push({
      kind: "shipment",
      id: orderRef ?? "(no order)",
      date: order.last,
      amount,
      detail: {
        items: order.items,
        shippedValue: order.value,
        invoicedNet: covered,
        ...(order.unpriced > 0 ? { unpricedItems: order.unpriced } : {}),
      },
    });
  }
  return documents;
}

function component(documents: ExposureDocument[]): ExposureComponent {
  return { amount: documents.reduce((sum, document) => sum + document.amount, 0), documents };
}

import type Database from "better-sqlite3";
import type { Catalog } from "../catalog/service.js";
import { openOrderDocuments } from "../orders/open-orders.js";
import type { OpenInvoice, ReceivablesQueries } from "../receivables/queries.js";
import { prepared } from "../store/prepared.js";
import { shippedGoods } from "./shipped.js";

/**
 * A customer's exposure, itemised as business-rules.md defines it:
 *   open invoices − unapplied payments (and unused credit notes)
 *   + shipped (RFID-observed) but not invoiced
 *   + on-account counter sales not yet invoiced
 *   + sales orders approved or released and not yet shipped nor invoiced
 *     (site policy `credit.openOrdersInExposure`, on by default; off, the
 *     component is there and empty).
 * Each component lists the documents behind it.
 *
 * Shipped but not invoiced: per order and product, the items that left
 * through a portal with the dock's customer set beyond what the order's
 * invoices bill, at the order's invoice price, else the catalog's
 * (shipped.ts). A counter sale stops counting once any invoice of the
 * customer has the sale's id as order reference.
 */

export interface ExposureDocument {
  kind: "invoice" | "instalment" | "payment" | "credit-note" | "shipment" | "sale" | "order";
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
  openOrders: ExposureComponent;
}

export interface ExposureOptions {
  /** Count approved orders not yet shipped (`credit.openOrdersInExposure`); default true. */
  openOrders?: boolean;
  /** The customer's open invoices, when the caller read them already (for its overdue items too). */
  openInvoices?: readonly OpenInvoice[];
}

export function computeExposure(
  db: Database.Database,
  receivables: ReceivablesQueries,
  catalog: Catalog,
  customer: string,
  currency: string,
  options: ExposureOptions = {},
): Exposure {
  const openInvoices = component(
    (options.openInvoices ?? receivables.openInvoices(customer)).map((invoice) => ({
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
  const shippedNotInvoiced = component(
    shippedGoods(db, (sku) => catalog.unitPriceIn(sku, currency), customer, currency),
  );
  const sales = prepared<
    [string, string],
    { id: string; chain: string; seq: number; total: number; at: string; clerk: string }
  >(
    db,
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
  const openOrders = openOrdersOf(db, customer, currency, options);
  return totalled({
    openInvoices,
    unappliedPayments,
    shippedNotInvoiced,
    counterSales,
    openOrders,
  });
}

/**
 * The exposure with its open-orders component read again, the others kept:
 * after orders were placed, nothing else it counts changed (an order writes
 * only the order tables and the gateway ledger).
 */
export function withOpenOrdersReread(
  db: Database.Database,
  exposure: Exposure,
  customer: string,
  currency: string,
  options: ExposureOptions = {},
): Exposure {
  return totalled({
    ...exposure,
    openOrders: openOrdersOf(db, customer, currency, options),
  });
}

/** The open-orders component: empty when the site does not count them. */
function openOrdersOf(
  db: Database.Database,
  customer: string,
  currency: string,
  options: ExposureOptions,
): ExposureComponent {
  return component(options.openOrders === false ? [] : openOrderDocuments(db, customer, currency));
}

function totalled(components: Omit<Exposure, "total">): Exposure {
  const { openInvoices, unappliedPayments, shippedNotInvoiced, counterSales, openOrders } =
    components;
  return {
    total:
      openInvoices.amount +
      unappliedPayments.amount +
      shippedNotInvoiced.amount +
      counterSales.amount +
      openOrders.amount,
    openInvoices,
    unappliedPayments,
    shippedNotInvoiced,
    counterSales,
    openOrders,
  };
}

function component(documents: ExposureDocument[]): ExposureComponent {
  return { amount: documents.reduce((sum, document) => sum + document.amount, 0), documents };
}

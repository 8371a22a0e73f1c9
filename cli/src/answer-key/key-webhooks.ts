import { orderHistory } from "./key-orders.js";
import type { SitePlan } from "./plan.js";

/** What the ERP's webhook receiver must have heard once the plan has happened. */
export interface WebhookKey {
  /** invoice.imported: one per invoice the accounting recorded, by direction. */
  invoices: { customer: number; supplier: number };
  /** payment.applied: each payment whose label names an invoice ("FACT <no>"), lettered against it. */
  lettered: [payment: string, invoice: string][];
  /** order.held and order.released, in the order they happened. */
  held: string[];
  released: string[];
}

export function webhookKey(plan: SitePlan): WebhookKey {
  let customer = 0;
  let supplier = 0;
  const lettered: [string, string][] = [];
  for (const day of plan.days) {
    if (day.delivery.invoice) supplier += 1;
    customer += day.orders.filter((order) => order.invoice).length + day.unshippedInvoices.length;
    for (const payment of day.payments) {
      const named = /FACT (\S+)/.exec(payment.label ?? "")?.[1];
      if (named) lettered.push([payment.id, named]);
    }
  }
  const { heldAtEntry, released } = orderHistory(plan);
  return {
    invoices: { customer, supplier },
    lettered: lettered.sort(byPair),
    held: heldAtEntry,
    released,
  };
}

export function byPair(a: [string, string], b: [string, string]): number {
  return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);
}

import { LIMITED_CUSTOMER } from "./catalog.js";
import type { PlannedItem, PlannedOrderLine, SitePlan } from "./plan.js";

/** Each order's state at the end, and the credit steps on the way (what webhooks tell an ERP). */
export interface OrderHistory {
  states: Record<string, string>;
  /** Orders held when placed, in the order they were placed. */
  heldAtEntry: string[];
  /** Held orders a payment released, in the order they were released. */
  released: string[];
}

export const orderTotal = (lines: readonly PlannedOrderLine[]) =>
  lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);

export function countSkus(items: readonly PlannedItem[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(item.sku as string, (seen.get(item.sku as string) ?? 0) + 1);
  return seen;
}

/**
 * Each order's state at the end (business-rules.md, "Orders"): decided at
 * entry against the limit with the order total as the amount (every
 * customer but one is unlimited: approved); a held order released by a
 * payment when the customer is back within the limit, oldest first,
 * stopping before the first that would go over again; then the goods: an
 * invoice naming the order makes it invoiced, all its units seen leaving
 * shipped, some partially shipped.
 */
export function orderHistory(plan: SitePlan): OrderHistory {
  const states: Record<string, string> = {};
  const heldAtEntry: string[] = [];
  const released: string[] = [];
  const limit = LIMITED_CUSTOMER.creditLimit;
  // The limited customer only ever has orders that never ship and payments
  // on account: its exposure is its approved orders' totals less what it paid.
  let exposure = 0;
  const held: { order: string; total: number }[] = [];
  for (const day of plan.days) {
    for (const order of day.orders) {
      const seen = countSkus(order.shipped);
      const all = order.lines.every((line) => (seen.get(line.sku) ?? 0) >= line.quantity);
      states[order.order] = order.invoice
        ? "invoiced"
        : all
          ? "shipped"
          : order.shipped.length > 0
            ? "partially-shipped"
            : "approved";
    }
    for (const order of day.creditOrders) {
      const total = orderTotal(order.lines);
      if (exposure + total > limit) {
        states[order.order] = "held";
        heldAtEntry.push(order.order);
        held.push({ order: order.order, total });
      } else {
        states[order.order] = "approved";
        exposure += total;
      }
    }
    for (const payment of day.payments) {
      if (payment.customer !== LIMITED_CUSTOMER.id) continue;
      exposure -= payment.amount;
      while (held.length > 0 && exposure + (held[0]?.total ?? 0) <= limit) {
        const next = held.shift() as { order: string; total: number };
        states[next.order] = "released";
        released.push(next.order);
        exposure += next.total;
      }
    }
  }
  return { states, heldAtEntry, released };
}

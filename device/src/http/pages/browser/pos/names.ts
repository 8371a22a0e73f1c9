import { h } from "@comptoir/contracts/browser";

/**
 * Customers' names as the node's credit snapshots give them: the POS shows a
 * customer by name everywhere and keeps the id as secondary text. Filled from
 * every list and standing the page reads; an id the page never saw named is
 * shown as it is.
 */
const names = new Map<string, string>();

export function learnName(customer: string, name: string): void {
  if (name) names.set(customer, name);
}

/** The customer's name, or their id when no snapshot named them. */
export function nameOf(customer: string): string {
  return names.get(customer) ?? customer;
}

/** The customer as the POS shows them: the name, then the id as secondary text. */
export function named(customer: string): HTMLElement[] {
  return [
    h("span", { className: "name" }, nameOf(customer)),
    h("span", { className: "id" }, customer),
  ];
}

/**
 * The mistakes a site plan makes on purpose (plan.ts), what each means, and
 * the day each happens on: every one of them must show in the gateway's
 * figures exactly as the answer key says.
 */

export const KEY_FAULTS = [
  "uncommissionedTag",
  "unknownGtin",
  "neverInvoiced",
  "invoicedNotShipped",
  "shortShipment",
  "overShipment",
  "vanished",
  "misplaced",
  "countAdjustment",
  "fifoBreach",
  "aboveSalePrice",
  "lateSupplierInvoice",
] as const;
export type KeyFault = (typeof KEY_FAULTS)[number];

export const FAULT_MEANING: Record<KeyFault, string> = {
  uncommissionedTag: "a tag that is no SGTIN and that nobody commissioned arrives with a delivery",
  unknownGtin: "items of a GTIN the catalog does not know arrive with a delivery",
  neverInvoiced: "an order is shipped and never invoiced",
  invoicedNotShipped: "an invoice bills an order that never left the dock",
  shortShipment: "5 items leave for an order its invoice bills 7 of",
  overShipment: "9 items leave for an order its invoice bills 7 of",
  vanished: "an item disappears from its shelf and is never seen again",
  misplaced: "an item is put away in the wrong bay",
  countAdjustment: "after a count, the book of a product is corrected with an adjustment",
  fifoBreach:
    "an order takes 2 units of the day's delivery while a unit of the same product from the day before is still on the shelf",
  aboveSalePrice:
    "the supplier bills a product above its sale price: the order that draws that layer first sells under cost",
  lateSupplierInvoice:
    "the last delivery's supplier invoice arrives after the run: its goods are received not invoiced, and their layers stay at the catalog cost (provisional)",
};

export interface InjectedFault {
  fault: KeyFault;
  date: string;
  /** What was done, naming the order, item or product. */
  detail: string;
}

/** Which faults happen on which day (by index; the last day is `dayCount - 1`). */
export function faultsOf(index: number, dayCount: number): Set<KeyFault> {
  const last = dayCount - 1;
  const byDay: Record<KeyFault, number> = {
    uncommissionedTag: 0,
    unknownGtin: 0,
    misplaced: 0,
    neverInvoiced: 0,
    shortShipment: Math.min(1, last),
    invoicedNotShipped: Math.min(1, last),
    overShipment: last,
    vanished: last,
    countAdjustment: last,
    fifoBreach: Math.min(1, last),
    aboveSalePrice: 0,
    lateSupplierInvoice: last,
  };
  return new Set(KEY_FAULTS.filter((fault) => byDay[fault] === index));
}

import type { PosStanding, PricedBasketView } from "@comptoir/contracts";

/** What the counter screen holds between events: one till, one customer, one basket. */
export const till: {
  /** The customer picked (their id), or null. */
  customer: string | null;
  standing: PosStanding | null;
  basket: PricedBasketView;
  /** The node's link to the gateway. */
  online: boolean;
} = {
  customer: null,
  standing: null,
  basket: { lines: [], unpriced: [], total: 0, currency: null, catalogVersion: null },
  online: false,
};

/** The product's name as the basket's priced lines give it; the SKU when no line names it. */
export function productName(sku: string): string {
  return till.basket.lines.find((line) => line.sku === sku && line.name)?.name ?? sku;
}

import { Dice } from "@comptoir/simulators";
import { KEY_PRODUCTS, type KeyProduct } from "./catalog.js";

/**
 * What the supplier bills a product on a day: never exactly the catalog
 * cost, so that a layer's cost is the invoice's and not the catalog's (a
 * key that confused the two would still agree with a gateway that did).
 * The price is the catalog cost moved by −4.00 % to +4.00 %, to the cent,
 * and the same for a seed, day and product whatever else the plan draws:
 * it has dice of its own, so the plan's other choices do not shift with it.
 */
export function supplierPrice(seed: number, dayIndex: number, product: KeyProduct): number {
  const index = KEY_PRODUCTS.findIndex((candidate) => candidate.sku === product.sku);
  const dice = new Dice(seed * 7919 + dayIndex * 31 + index + 1);
  const price = Math.round((product.unitCost * (10_000 + dice.int(-400, 400))) / 10_000);
  // The catalog cost itself is the one price the key must not meet.
  return price === product.unitCost ? price + 1 : price;
}

/**
 * The one day a supplier bills a product above the price the site sells it
 * at (5.00 % above): every unit drawn from that layer sells under cost.
 */
export function dearPrice(product: KeyProduct): number {
  return Math.round((product.unitPrice * 105) / 100);
}

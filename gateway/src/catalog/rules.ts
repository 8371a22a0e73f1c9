import type { Product } from "./schemas.js";

/** A rule a product breaks, located by its field: `["unitCost", "currency"]`, `["gtins", 2]`. */
export interface ProductRuleProblem {
  path: (string | number)[];
  message: string;
}

/** Every GTIN of the product, its main one first. */
export function gtinsOf(product: Product): string[] {
  return [...(product.gtin ? [product.gtin] : []), ...product.gtins];
}

/**
 * The rules a product must keep beyond its schema, every one it breaks:
 * its price and cost in one currency, and each of its GTINs given once.
 * Shared by the single routes (the first refuses the change) and the
 * master-data import (each is listed by line).
 */
export function productRuleProblems(product: Product): ProductRuleProblem[] {
  const problems: ProductRuleProblem[] = [];
  if (product.unitPrice.currency !== product.unitCost.currency) {
    problems.push({
      path: ["unitCost", "currency"],
      message: `unit price is in ${product.unitPrice.currency} but unit cost in ${product.unitCost.currency}: give both in the same currency`,
    });
  }
  const gtins = gtinsOf(product);
  gtins.forEach((gtin, index) => {
    if (gtins.indexOf(gtin) === index) return;
    problems.push({
      path: ["gtins", index - (product.gtin ? 1 : 0)],
      message: `GTIN ${gtin} is given twice: give each GTIN of the product once`,
    });
  });
  return problems;
}

import type { NodeProducts } from "@comptoir/contracts";
import { type Child, h } from "@comptoir/contracts/browser";
import { api } from "./api.js";

/**
 * Product names from the node's cached catalog (`GET /products`), so that a
 * page names a product where it would show a SKU or GTIN alone. A node
 * without a catalog answers none: the SKU, else the GTIN, is shown then.
 */
const bySku = new Map<string, string>();
const byGtin = new Map<string, string>();

/** Loads (again) the names; a page calls it at start and on resync. */
export async function loadProducts(): Promise<void> {
  const { products } = await api<NodeProducts>("GET", "/products");
  bySku.clear();
  byGtin.clear();
  for (const product of products) {
    if (!product.name) continue;
    bySku.set(product.sku, product.name);
    for (const gtin of product.gtins) byGtin.set(gtin, product.name);
  }
}

/** The product's name, when the catalog knows its SKU or GTIN. */
export function nameOf(sku: string | null | undefined, gtin?: string): string | undefined {
  return (sku ? bySku.get(sku) : undefined) ?? (gtin ? byGtin.get(gtin) : undefined);
}

/** The product as text: its name, else its SKU, else its GTIN; `fallback` when none is known. */
export function productText(
  sku: string | null | undefined,
  gtin: string | undefined,
  fallback = "uncommissioned",
): string {
  return nameOf(sku, gtin) ?? sku ?? (gtin ? `GTIN ${gtin}` : fallback);
}

/** A SKU, or a GTIN whose digits stay on one line (a line may break after "GTIN", not inside the number). */
function code(sku: string | null | undefined, gtin: string | undefined): Child[] | undefined {
  if (sku) return [sku];
  if (gtin) return ["GTIN ", h("span", { className: "digits" }, gtin)];
  return undefined;
}

/**
 * The product as a page shows it: the name, with the SKU (or GTIN) beside it
 * as secondary text; without a name, the SKU or GTIN alone.
 */
export function productParts(
  sku: string | null | undefined,
  gtin: string | undefined,
  fallback = "uncommissioned",
): HTMLElement[] {
  const name = nameOf(sku, gtin);
  const shown = code(sku, gtin);
  if (!name) return [h("span", { className: "product-name" }, ...(shown ?? [fallback]))];
  return [
    h("span", { className: "product-name" }, name),
    ...(shown ? [h("span", { className: "product-code" }, ...shown)] : []),
  ];
}

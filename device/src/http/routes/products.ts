import type { Catalog, NodeProducts } from "@comptoir/contracts";
import { Hono } from "hono";

/** Where the node keeps the catalog it received (counter nodes: the POS cache); null when it has none. */
export type CatalogSource = () => Catalog | null;

/**
 * `GET /products`: the products of the node's cached catalog, by SKU and
 * GTINs, so that the pages name a product instead of showing its SKU or GTIN
 * alone. Empty on a node that has no catalog: the pages then show the SKU.
 */
export function productRoutes(catalog: CatalogSource) {
  return new Hono().get("/products", (c) => {
    const products = (catalog()?.products ?? []).map((product) => ({
      sku: product.sku,
      name: product.name,
      gtins: [...(product.gtin ? [product.gtin] : []), ...(product.gtins ?? [])],
    }));
    return c.json({ products } satisfies NodeProducts);
  });
}

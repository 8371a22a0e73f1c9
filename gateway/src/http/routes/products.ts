import { SkuSchema, StoredProductSchema } from "@comptoir/contracts";
import { z } from "zod";
import { ProductSchema } from "../../catalog/schemas.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { saveOrRefuse } from "./catalog-errors.js";

export const SkuParam = z.strictObject({ sku: SkuSchema });
/** PUT: the product's new state; the SKU comes from the path. */
export const ProductChange = ProductSchema.omit({ sku: true });

/** A product as answered: the dashboard's too, defined once in contracts. */
export { StoredProductSchema };

export function productRoutes(deps: RouteDeps): RouteGroup {
  const { catalog, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/products",
        summary: "every product: SKU, GTIN, name, unit price and unit cost (integer minor units)",
        permission: "products:read",
        responses: {
          200: {
            description: "the products",
            schema: z.strictObject({ products: z.array(StoredProductSchema) }),
          },
        },
      },
      (c) => c.json({ products: catalog.products() }),
    )
    .route(
      {
        method: "get",
        path: "/products/:sku",
        summary: "one product",
        permission: "products:read",
        params: SkuParam,
        responses: { 200: { description: "the product", schema: StoredProductSchema } },
        errors: [400, 404],
      },
      (c) => {
        const { sku } = c.req.valid("param");
        const product = catalog.product(sku);
        if (!product) throw new ApiError(404, "not_found", `no product ${sku}`, "sku");
        return c.json(product);
      },
    )
    .route(
      {
        method: "post",
        path: "/products",
        summary: "create a product; recorded in the gateway ledger",
        permission: "products:write",
        body: ProductSchema,
        responses: { 201: { description: "created", schema: StoredProductSchema } },
        errors: [400, 409, 413, 415, 422],
      },
      (c) => {
        const product = saveOrRefuse(() =>
          catalog.saveProduct(c.req.valid("json"), c.get("actor"), "create"),
        );
        return c.json(product, 201);
      },
    )
    .route(
      {
        method: "put",
        path: "/products/:sku",
        summary: "change a product; recorded in the gateway ledger with what it was before",
        permission: "products:write",
        params: SkuParam,
        body: ProductChange,
        responses: { 200: { description: "changed", schema: StoredProductSchema } },
        errors: [400, 404, 409, 413, 415, 422],
      },
      (c) => {
        const { sku } = c.req.valid("param");
        if (!catalog.product(sku)) {
          throw new ApiError(
            404,
            "not_found",
            `no product ${sku}: create it with POST /api/v1/products`,
            "sku",
          );
        }
        const product = saveOrRefuse(() =>
          catalog.saveProduct({ sku, ...c.req.valid("json") }, c.get("actor"), "replace"),
        );
        return c.json(product);
      },
    );
}

import { SkuSchema } from "@comptoir/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { ProductSchema } from "../../catalog/schemas.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { ApiError } from "../errors.js";
import { valid } from "../validate.js";
import { saveOrRefuse } from "./catalog-errors.js";

export const SkuParam = z.strictObject({ sku: SkuSchema });
/** PUT: the product's new state; the SKU comes from the path. */
export const ProductChange = ProductSchema.omit({ sku: true });

const Stamps = { createdAt: z.string(), updatedAt: z.string() };
export const StoredProductSchema = ProductSchema.extend(Stamps);

export const productDocs: RouteDoc[] = [
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
  {
    method: "get",
    path: "/products/:sku",
    summary: "one product",
    permission: "products:read",
    params: SkuParam,
    responses: { 200: { description: "the product", schema: StoredProductSchema } },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/products",
    summary: "create a product; recorded in the gateway ledger",
    permission: "products:write",
    body: ProductSchema,
    responses: { 201: { description: "created", schema: StoredProductSchema } },
    errors: [400, 409, 413, 415, 422],
  },
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
];

export function productRoutes(deps: RouteDeps) {
  const { catalog, tokens } = deps;
  return new Hono<GatewayEnv>()
    .get("/products", requirePermission(tokens, "products:read"), (c) =>
      c.json({ products: catalog.products() }),
    )
    .get(
      "/products/:sku",
      requirePermission(tokens, "products:read"),
      valid("param", SkuParam),
      (c) => {
        const { sku } = c.req.valid("param");
        const product = catalog.product(sku);
        if (!product) throw new ApiError(404, "not_found", `no product ${sku}`, "sku");
        return c.json(product);
      },
    )
    .post(
      "/products",
      requirePermission(tokens, "products:write"),
      valid("json", ProductSchema),
      (c) => {
        const product = saveOrRefuse(() =>
          catalog.saveProduct(c.req.valid("json"), c.get("actor"), "create"),
        );
        return c.json(product, 201);
      },
    )
    .put(
      "/products/:sku",
      requirePermission(tokens, "products:write"),
      valid("param", SkuParam),
      valid("json", ProductChange),
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

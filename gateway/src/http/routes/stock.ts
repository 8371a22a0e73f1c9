import { SkuSchema, ZoneSchema } from "@comptoir/contracts";
import { z } from "zod";
import { stockAsOf } from "../../store/stock-history.js";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";
import { StockRowSchema, TimeInput } from "../schemas.js";

export const StockQuery = z.strictObject({
  zone: ZoneSchema.optional(),
  sku: SkuSchema.optional(),
  asOf: TimeInput.optional().describe(
    "a past time: stock as the gateway knew it then (entries received up to it, replayed)",
  ),
});

export const StockItemsQuery = z.strictObject({
  zone: ZoneSchema,
  sku: SkuSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const StockItemsSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      epc: z.string(),
      sku: z.string().nullable(),
      gtin: z.string().nullable(),
      zone: z.string(),
      chain: z.string().describe("the node whose movement put it there"),
      seq: z.number().int(),
      kind: z.string().nullable(),
      at: z.string().nullable(),
      receivedAt: z.string().nullable(),
    }),
  ),
  truncated: z.boolean().describe("more items than `limit` are there"),
});

const StockSchema = z.strictObject({
  asOf: z.string().describe("the time the rows are for"),
  rows: z.array(StockRowSchema),
});

export function stockRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens)
    .route(
      {
        method: "get",
        path: "/stock",
        summary: "items per SKU per zone, now or as of a past time",
        permission: "stock:read",
        query: StockQuery,
        responses: { 200: { description: "stock rows", schema: StockSchema } },
        errors: [400],
      },
      (c) => {
        const { zone, sku, asOf } = c.req.valid("query");
        const filter = { ...(zone ? { zone } : {}), ...(sku ? { sku } : {}) };
        const now = deps.clock.now();
        if (asOf === undefined || asOf >= now) {
          return c.json({ asOf: now.toISOString(), rows: deps.store.stock(filter) });
        }
        return c.json({
          asOf: asOf.toISOString(),
          rows: stockAsOf(deps.store.db, asOf, deps.store.skuOfGtin, filter),
        });
      },
    )
    .route(
      {
        method: "get",
        path: "/stock/items",
        summary:
          "the items (EPCs) in a zone now, of one SKU when given, with the movement that put each there",
        permission: "stock:read",
        query: StockItemsQuery,
        responses: {
          200: { description: "the items, newest arrival first", schema: StockItemsSchema },
        },
        errors: [400],
      },
      (c) => {
        const { zone, sku, limit } = c.req.valid("query");
        const items = deps.store.itemsIn(zone, sku, limit + 1);
        return c.json({ items: items.slice(0, limit), truncated: items.length > limit });
      },
    );
}

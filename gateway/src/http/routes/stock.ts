import { SkuSchema, ZoneSchema } from "@comptoir/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { stockAsOf } from "../../store/stock-history.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { StockRowSchema, TimeInput } from "../schemas.js";
import { valid } from "../validate.js";

export const StockQuery = z.strictObject({
  zone: ZoneSchema.optional(),
  sku: SkuSchema.optional(),
  asOf: TimeInput.optional().describe(
    "a past time: stock as the gateway knew it then (entries received up to it, replayed)",
  ),
});

const StockSchema = z.strictObject({
  asOf: z.string().describe("the time the rows are for"),
  rows: z.array(StockRowSchema),
});

export const stockDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/stock",
    summary: "items per SKU per zone, now or as of a past time",
    permission: "stock:read",
    query: StockQuery,
    responses: { 200: { description: "stock rows", schema: StockSchema } },
    errors: [400],
  },
];

export function stockRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>().get(
    "/stock",
    requirePermission(deps.tokens, "stock:read"),
    valid("query", StockQuery),
    (c) => {
      const { zone, sku, asOf } = c.req.valid("query");
      const filter = { ...(zone ? { zone } : {}), ...(sku ? { sku } : {}) };
      const now = deps.clock.now();
      if (asOf === undefined || asOf >= now) {
        return c.json({ asOf: now.toISOString(), rows: deps.store.stock(filter) });
      }
      return c.json({ asOf: asOf.toISOString(), rows: stockAsOf(deps.store.db, asOf, filter) });
    },
  );
}

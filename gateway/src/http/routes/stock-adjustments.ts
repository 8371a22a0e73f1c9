import { SkuSchema } from "@comptoir/contracts";
import { z } from "zod";
import {
  AdjustmentRuleError,
  StockAdjustmentInputSchema,
  StockAdjustmentSchema,
  StockAdjustments,
} from "../../reconciliation/adjustments.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

export const StockAdjustmentsQuery = z.strictObject({
  sku: SkuSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export function stockAdjustmentRoutes(deps: RouteDeps): RouteGroup {
  const adjustments = new StockAdjustments(deps.store.db, deps.ledger, deps.clock);
  return new RouteGroup(deps.tokens)
    .route(
      {
        method: "post",
        path: "/stock/adjustments",
        summary:
          "post a stock count's difference to the book as a delta with a reason (a gateway ledger entry with who posted it); book stock in the reconciliation includes it, so the gap it closes is gone",
        permission: "stock:adjust",
        body: StockAdjustmentInputSchema,
        responses: { 201: { description: "posted", schema: StockAdjustmentSchema } },
        errors: [400, 413, 415, 422],
      },
      (c) => {
        try {
          return c.json(adjustments.post(c.req.valid("json"), c.get("actor")), 201);
        } catch (error) {
          if (error instanceof AdjustmentRuleError) {
            throw new ApiError(422, "rule_refused", error.message, error.path);
          }
          throw error;
        }
      },
    )
    .route(
      {
        method: "get",
        path: "/stock/adjustments",
        summary: "the adjustments posted to book stock, newest first",
        permission: "stock:read",
        query: StockAdjustmentsQuery,
        responses: {
          200: {
            description: "the adjustments",
            schema: z.strictObject({ adjustments: z.array(StockAdjustmentSchema) }),
          },
        },
        errors: [400],
      },
      (c) => c.json({ adjustments: adjustments.list(c.req.valid("query")) }),
    );
}

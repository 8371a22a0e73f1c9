import { ReorderListSchema, ReorderRulesSchema, ReorderRulesViewSchema } from "@comptoir/contracts";
import { z } from "zod";
import { ReorderFigures } from "../../analytics/reorder-figures.js";
import { ReorderList, reorderCsv } from "../../analytics/reorder-list.js";
import { ReorderRuleError, ReorderRules } from "../../analytics/reorder-rules.js";
import { ReorderStock } from "../../analytics/reorder-stock.js";
import { ReorderWatch } from "../../analytics/reorder-watch.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

const ReorderListQuery = z.strictObject({
  all: z
    .enum(["true", "false"])
    .default("false")
    .describe("true: every rule's row; else only the rows to reorder"),
  format: z.enum(["json", "csv"]).default("json"),
});

/**
 * Reorder (issue 16): the rules (per product, optionally per zone: a fixed
 * minimum, or a point computed from demand), and the list of products to
 * reorder with the quantity to buy — the purchase suggestion, as CSV too.
 */
export function reorderRoutes(deps: RouteDeps): RouteGroup {
  const { store, ledger, clock, catalog } = deps;
  const rules = new ReorderRules(store.db, ledger, {
    seed: deps.analytics.reorder.rules,
    clock,
  });
  const list = new ReorderList({
    figures: new ReorderFigures(new ReorderStock(store), rules, { clock }),
    catalog,
    valuation: deps.valuation,
    alerts: deps.alerts,
    currency: deps.credit.currency,
    log: deps.log.child({ module: "reorder" }),
  });
  // New rules can put a product at or below its point at once: checked on the spot, not at the next batch.
  const watch = new ReorderWatch({
    store,
    rules,
    alerts: deps.alerts,
    clock,
    name: (sku) => catalog.nameOf(sku),
    demandTtlMs: 0,
  });
  return new RouteGroup(deps.tokens)
    .route(
      {
        method: "get",
        path: "/analytics/reorder/rules",
        summary:
          "the reorder rules in force: the gateway config's `analytics.reorder.rules` until a PUT sets them, then the set given last",
        permission: "analytics:read",
        responses: { 200: { description: "the rules", schema: ReorderRulesViewSchema } },
      },
      (c) => c.json(rules.view()),
    )
    .route(
      {
        method: "put",
        path: "/analytics/reorder/rules",
        summary:
          "replace the whole set of reorder rules: per product (and optionally per zone) a fixed `min` (target default min + pack) or, without `min`, a point computed as average daily demand over `windowDays` × `leadTimeDays` + `safetyStock` (target default 2 × point); `pack` rounds the suggestion up, `hysteresis` is how far above the point stock must climb before the next crossing alerts. Refused whole (400 with the rule's path) for a product not in the catalog, a product and zone given twice, or a target under the minimum; recorded in the gateway ledger (`reorder.rules-set`), then crossings are checked at once",
        permission: "analytics:write",
        body: ReorderRulesSchema,
        responses: {
          200: { description: "the rules now in force", schema: ReorderRulesViewSchema },
        },
        errors: [400, 413, 415],
      },
      (c) => {
        const { rules: given } = c.req.valid("json");
        let saved: ReturnType<ReorderRules["view"]>;
        try {
          saved = rules.replace(given, c.get("actor"), (sku) => catalog.product(sku) !== undefined);
        } catch (error) {
          if (error instanceof ReorderRuleError) {
            throw new ApiError(400, "invalid_input", `${error.path}: ${error.message}`, error.path);
          }
          throw error;
        }
        watch.check();
        return c.json(saved);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/reorder",
        summary:
          "the products to reorder: per rule, units on site (RFID; in the rule's zone if it has one) minus units reserved by approved or released sales orders not yet shipped (site-wide rules only), the point and its inputs, the target, and the suggested quantity (up to the target in whole packs) at the next unit's FIFO cost; rows to reorder first, every rule's with `all=true`; `format=csv` gives the purchase suggestion (sku, name, quantity, unit_cost, amount, zone)",
        permission: "analytics:read",
        query: ReorderListQuery,
        responses: {
          200: { description: "the list (or its CSV)", schema: ReorderListSchema },
        },
        errors: [400],
      },
      (c) => {
        const { all, format } = c.req.valid("query");
        const view = list.list({ all: all === "true", asOf: clock.now().toISOString() });
        if (format === "csv") {
          return csvDownload(c, reorderCsv(view), "reorder");
        }
        return c.json(view);
      },
    );
}

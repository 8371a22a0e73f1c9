import { CostMethodSchema, MarginFloorsSchema, MarginListSchema } from "@comptoir/contracts";
import { z } from "zod";
import { MarginFloorStore } from "../../analytics/margin-floors.js";
import { marginsCsv } from "../../valuation/margins-csv.js";
import { marginReport } from "../../valuation/margins-report.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { RouteGroup } from "../route-group.js";

export const MarginQuery = z.strictObject({
  from: z.iso.date().optional().describe("YYYY-MM-DD, inclusive: invoice issue date, sale day"),
  to: z.iso.date().optional().describe("YYYY-MM-DD, inclusive"),
  source: z.enum(["invoice", "sale"]).optional(),
  customer: z.string().min(1).max(64).optional(),
  order: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("an invoice's order reference (BT-13), or a counter sale's id"),
  flag: z.enum(["ok", "below-margin", "below-cost"]).optional(),
  method: CostMethodSchema.optional().describe(
    "default the site's (gateway config valuation.method)",
  ),
  format: z.enum(["json", "csv"]).default("json"),
});

/**
 * Margins (issue 16): price − COGS per customer invoice line and per
 * counter sale line, and the margin floors they are held to.
 */
export function marginsRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, store, clock, valuation } = deps;
  const floors = new MarginFloorStore(store.db, {
    ledger: deps.ledger,
    clock,
    seed: deps.analytics.marginFloors,
  });
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/valuation/margins",
        aliases: ["/analytics/margins"],
        summary:
          "margin per customer invoice line and per counter sale line: revenue (the line's net amount) − COGS (the cost, by the method, of the units that left for that order or sale and product; lines of one order billing the same product share them in line order; units billed beyond those seen leaving are costed at the product's next unit cost and the row is `estimated`), rate, the floor in force (product, else category, else default) and a flag; documents in the site currency; an invoice whose order is a counter sale is left out (the sale carries its margin); ?format=csv",
        permission: "valuation:read",
        query: MarginQuery,
        responses: {
          200: {
            description: "the margins, by date then document and line",
            schema: MarginListSchema,
          },
        },
        errors: [400],
      },
      (c) => {
        const { format, method, ...query } = c.req.valid("query");
        const list = marginReport(
          store.db,
          valuation.book(),
          {
            method: method ?? valuation.method,
            floors: floors.get(),
            currency: deps.credit.currency,
          },
          query,
        );
        if (format === "csv") {
          return csvDownload(
            c,
            marginsCsv(list),
            `margins-${clock.now().toISOString().slice(0, 10)}`,
          );
        }
        return c.json(list);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/margin-floors",
        summary:
          "the margin floors in force (percent of the price): per product, per category, default; the gateway config's analytics.marginFloors until changed through the API",
        permission: "valuation:read",
        responses: { 200: { description: "the floors", schema: MarginFloorsSchema } },
      },
      (c) => c.json(floors.get()),
    )
    .route(
      {
        method: "put",
        path: "/analytics/margin-floors",
        summary:
          "replace the margin floors; kept across restarts (the config no longer applies), recorded in the gateway ledger (`margin-floors.changed`, with what they were)",
        permission: "valuation:write",
        body: MarginFloorsSchema,
        responses: { 200: { description: "the floors now in force", schema: MarginFloorsSchema } },
        errors: [400, 413, 415],
      },
      (c) => c.json(floors.set(c.req.valid("json"), c.get("actor"))),
    );
}

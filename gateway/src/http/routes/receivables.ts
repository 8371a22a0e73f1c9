import { AgingReportSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { agingCsv } from "../../receivables-reports/exports.js";
import { agingReport, dsoReport, payerReport } from "../../receivables-reports/service.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { RouteGroup } from "../route-group.js";

export const AgingQuery = z.strictObject({
  asOf: z.iso
    .date()
    .optional()
    .describe("default today; a past date replays the balance of that day"),
  basis: z.enum(["due", "invoice"]).default("due"),
  customer: TopicIdSchema.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

export const DsoQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM")
    .optional()
    .describe("default the last complete month"),
});

export const PayerQuery = z.strictObject({ asOf: z.iso.date().optional() });

export function receivablesReportRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, store, credit, clock } = deps;
  const today = () => clock.now().toISOString().slice(0, 10);
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/receivables/aging",
        summary:
          "aged balance per customer: current, 1-30, 31-60, 61-90, 91-120, over-120 days, by due date or invoice date; instalments aged on their own; unapplied payments and credit notes as negatives in their own `unapplied` column, never netted into a bucket; `total` (buckets + unapplied) equals `balance` (the receivable balance) to the cent; ?format=csv",
        permission: "receivables:read",
        query: AgingQuery,
        responses: {
          200: {
            description: "the aged balance",
            schema: AgingReportSchema,
          },
        },
        errors: [400],
      },
      (c) => {
        const { asOf, basis, customer, format } = c.req.valid("query");
        const report = agingReport(store.db, asOf ?? today(), basis, credit.currency, customer);
        if (format === "csv") {
          return csvDownload(c, agingCsv(report), `aged-balance-${report.asOf}`);
        }
        return c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/receivables/dso",
        summary:
          "days sales outstanding of a month: accounting (receivables ÷ sales × days) and countback (month by month back)",
        permission: "receivables:read",
        query: DsoQuery,
        responses: { 200: { description: "DSO" } },
        errors: [400],
      },
      (c) => {
        const now = clock.now();
        const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
          .toISOString()
          .slice(0, 7);
        return c.json(
          dsoReport(store.db, c.req.valid("query").period ?? lastMonth, credit.currency),
        );
      },
    )
    .route(
      {
        method: "get",
        path: "/receivables/payers",
        summary:
          "payer profiles: average days late over each customer's paid invoices (plain and weighted by amount)",
        permission: "receivables:read",
        query: PayerQuery,
        responses: { 200: { description: "profiles" } },
        errors: [400],
      },
      (c) => c.json({ payers: payerReport(store.db, c.req.valid("query").asOf ?? today()) }),
    );
}

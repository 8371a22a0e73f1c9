import { TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { discrepanciesCsv } from "../../receivables-reports/exports.js";
import { runReconciliation } from "../../reconciliation/service.js";
import { DiscrepancySchema } from "../../reconciliation/types.js";
import { DiscrepancyAnnouncer } from "../../reconciliation/watch.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

const IsoDate = z.iso.date();
/** What the background run uses (runReconciliation's default). */
const DEFAULT_GRACE_DAYS = 3;

export const ReconciliationQuery = z.strictObject({
  customer: TopicIdSchema.optional(),
  order: z.string().min(1).max(64).optional().describe("an order reference (BT-13)"),
  from: IsoDate.optional().describe("first day of the period (reads and invoice dates)"),
  to: IsoDate.optional().describe("last day of the period"),
  side: z.enum(["all", "sales", "purchases", "stock"]).default("all"),
  graceDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(90)
    .default(DEFAULT_GRACE_DAYS)
    .describe("days before goods shipped or received without an invoice count"),
  format: z.enum(["json", "csv"]).default("json"),
});

export function reconciliationRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, store, credit, clock } = deps;
  const announcer = new DiscrepancyAnnouncer(store.db, deps.events, deps.webhooks);
  return new RouteGroup(tokens).route(
    {
      method: "get",
      path: "/reconciliation",
      summary:
        "what the portals saw against what the invoices say: per order and product, shipped_not_invoiced (surplus), invoiced_not_shipped (missing units), received_not_invoiced, invoiced_not_received; unknown_tag, unknown_product (a GTIN no product has) and stock_gap (count against book; goods within the grace period count as invoiced) — each with amount, age and read evidence; ?format=csv for a spreadsheet",
      permission: "reconciliation:read",
      query: ReconciliationQuery,
      responses: {
        200: {
          description: "the discrepancies",
          schema: z.object({
            discrepancies: z.array(DiscrepancySchema),
            unmatchable: z.array(
              z.object({ order: z.string().nullable(), invoices: z.array(z.string()) }),
            ),
            counts: z.record(z.string(), z.number().int()),
            asOf: z.string(),
            graceDays: z.number().int(),
          }),
        },
      },
      errors: [400],
    },
    (c) => {
      const { format, ...query } = c.req.valid("query");
      if (query.from && query.to && query.from > query.to) {
        throw new ApiError(
          400,
          "invalid_input",
          `from ${query.from} is after to ${query.to}: give the period's first day first`,
          "from",
        );
      }
      const report = runReconciliation(store, credit.catalog, { ...query, now: clock.now() });
      // New gaps go out on the live feed once, whoever asked first.
      // A run as the background one does it sees every gap: the open ones it misses are resolved.
      const complete =
        query.customer === undefined &&
        query.order === undefined &&
        query.from === undefined &&
        query.to === undefined &&
        query.side === "all" &&
        query.graceDays === DEFAULT_GRACE_DAYS;
      announcer.announce(report.discrepancies, report.asOf, {
        complete,
        graceDays: report.graceDays,
      });
      if (format === "csv") {
        return csvDownload(
          c,
          discrepanciesCsv(report.discrepancies, credit.currency),
          "discrepancies",
        );
      }
      return c.json(report);
    },
  );
}

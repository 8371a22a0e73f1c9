import {
  CogsReportSchema,
  CostMethodSchema,
  LayerListSchema,
  SkuSchema,
  ValuationReportSchema,
  ValueHistorySchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { cogsReport, layerList, valuationReport, valueHistory } from "../../valuation/reports.js";
import { cogsCsv, layersCsv, valuationCsv } from "../../valuation/valuation-csv.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { TimeInput } from "../schemas.js";

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date (YYYY-MM-DD: its first or last millisecond, UTC) or an instant with its offset, as ISO UTC. */
function dayOrInstant(edge: "start" | "end") {
  return z
    .string()
    .max(64)
    .transform((text, ctx) => {
      if (DATE.test(text)) {
        const start = Date.parse(`${text}T00:00:00.000Z`);
        if (!Number.isNaN(start)) {
          return new Date(edge === "start" ? start : start + DAY_MS - 1).toISOString();
        }
      }
      const parsed = TimeInput.safeParse(text);
      if (parsed.success) return parsed.data.toISOString();
      ctx.addIssue({
        code: "custom",
        message: `"${text}" is neither a date YYYY-MM-DD nor an ISO instant with its offset (2026-03-01T10:00:00Z)`,
      });
      return z.NEVER;
    });
}

const Format = z.enum(["json", "csv"]).default("json");
const Method = CostMethodSchema.optional().describe(
  "fifo or average; default the site's (gateway config valuation.method)",
);

export const ValuationQuery = z.strictObject({
  asOf: dayOrInstant("end").optional().describe("an instant, or a date (its end); default now"),
  method: Method,
  format: Format,
});

export const LayersQuery = z.strictObject({
  sku: SkuSchema.optional(),
  open: z.enum(["true", "false"]).default("false").describe("true: only layers with units left"),
  format: Format,
});

export const CogsQuery = z.strictObject({
  from: dayOrInstant("start")
    .optional()
    .describe("a date (from its start) or an instant, inclusive"),
  to: dayOrInstant("end").optional().describe("a date (to its end) or an instant, inclusive"),
  method: Method,
  format: Format,
});

export const HistoryQuery = z.strictObject({
  from: z.iso.date().optional().describe("YYYY-MM-DD; default 29 days before `to`"),
  to: z.iso.date().optional().describe("YYYY-MM-DD; default today (UTC)"),
  method: Method,
});

/**
 * Stock value and cost of goods (issue 16): FIFO layers from the portals'
 * receipts, costed by the supplier invoices matched to them (the catalog
 * cost, provisional, until then); each unit's actual cost beside FIFO.
 */
export function valuationRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, catalog, clock, valuation } = deps;
  const names = (sku: string) => catalog.nameOf(sku) ?? sku;
  const currency = () => deps.credit.currency;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/valuation",
        summary:
          "stock value per product at an instant (default now), FIFO or weighted average: quantity, value, units still at a provisional (catalog) cost, the units on site at their own layers' cost (actualValue), and the value shared among zones by quantity; items with no product (unknown GTIN, plain tags) counted apart; ?format=csv",
        permission: "valuation:read",
        query: ValuationQuery,
        responses: { 200: { description: "the stock value", schema: ValuationReportSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const now = clock.now().toISOString();
        const report = valuationReport(valuation.book(), {
          asOf: q.asOf,
          now,
          method: q.method ?? valuation.method,
          currency: currency(),
          names,
          unvalued: valuation.unvalued(q.asOf),
        });
        if (q.format === "csv")
          return csvDownload(c, valuationCsv(report), `stock-value-${report.asOf.slice(0, 10)}`);
        return c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/valuation/layers",
        summary:
          "cost layers (the units of a product received under one order or despatch advice), oldest first: quantity, units FIFO has not drawn yet, unit cost, provisional until the supplier invoice, and the invoice that set it; ?open=true for those with units left; ?format=csv",
        permission: "valuation:read",
        query: LayersQuery,
        responses: { 200: { description: "the layers", schema: LayerListSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const list = layerList(valuation.book(), {
          ...(q.sku === undefined ? {} : { sku: q.sku }),
          open: q.open === "true",
          currency: currency(),
        });
        if (q.format === "csv") return csvDownload(c, layersCsv(list), "cost-layers");
        return c.json(list);
      },
    )
    .route(
      {
        method: "get",
        path: "/valuation/cogs",
        summary:
          "cost of goods gone out per product in a period (shipped, sold at a counter, written off), by FIFO or weighted average, the actual cost of the units that left and its difference from FIFO (how far picking strays from oldest first); ?format=csv",
        permission: "valuation:read",
        query: CogsQuery,
        responses: { 200: { description: "the cost of goods", schema: CogsReportSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
          throw new ApiError(
            400,
            "invalid_input",
            `from ${q.from} is after to ${q.to}: give from on or before to`,
            "from",
          );
        }
        const report = cogsReport(valuation.book(), {
          from: q.from ?? null,
          to: q.to ?? null,
          method: q.method ?? valuation.method,
          currency: currency(),
          names,
        });
        if (q.format === "csv") return csvDownload(c, cogsCsv(report), "cogs");
        return c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/valuation/history",
        summary:
          "stock value and units on site at the end of each UTC day (default the last 30 days), all products together, for the value chart",
        permission: "valuation:read",
        query: HistoryQuery,
        responses: { 200: { description: "one point a day", schema: ValueHistorySchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const to = q.to ?? clock.now().toISOString().slice(0, 10);
        const from =
          q.from ??
          new Date(Date.parse(`${to}T00:00:00.000Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
        const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
        if (days < 1 || days > 3660) {
          throw new ApiError(
            400,
            "invalid_input",
            `from ${from} to ${to}: give from on or before to, at most 3660 days apart`,
            "from",
          );
        }
        return c.json(
          valueHistory(valuation.book(), {
            from,
            to,
            method: q.method ?? valuation.method,
            currency: currency(),
          }),
        );
      },
    );
}

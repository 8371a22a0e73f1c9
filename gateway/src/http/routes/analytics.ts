import {
  AbcHistorySchema,
  AbcReportSchema,
  ANALYTICS_ALERT_KINDS,
  type AnalyticsAlertKind,
  AnalyticsAlertKindSchema,
  AnalyticsAlertListSchema,
  type AnalyticsAlertView,
  DwellReportSchema,
  FifoDisciplineSchema,
  RotationReportSchema,
  SkuSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { abcCsv, abcHistoryCsv, abcReport } from "../../analytics/abc.js";
import { recordAbcRun } from "../../analytics/abc-schedule.js";
import { AbcStore } from "../../analytics/abc-store.js";
import { dwellReport, oldestUnitsCsv } from "../../analytics/dwell.js";
import { fifoDiscipline, fifoDisciplineCsv } from "../../analytics/fifo-discipline.js";
import { lastDays, type Period, rotationCsv, rotationReport } from "../../analytics/rotation.js";
import { csvLine } from "../../file-readers/csv-reader.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { allows } from "../roles.js";
import { RouteGroup } from "../route-group.js";
import { TimeInput } from "../schemas.js";

const Format = z.enum(["json", "csv"]).default("json");
const From = TimeInput.optional().describe("ISO time with offset, inclusive");
const To = TimeInput.optional().describe("ISO time with offset, inclusive; default now");

/** A range whose start is after its end is refused, on `from`. */
const ordered = <T extends { from?: Date | undefined; to?: Date | undefined }>(query: T) =>
  !query.from || !query.to || query.from <= query.to;
const ORDER_ISSUE = { message: "from must not be after to — swap them", path: ["from"] };

const PeriodQuery = z
  .strictObject({ from: From.describe("default 30 days ago"), to: To, format: Format })
  .refine(ordered, ORDER_ISSUE);
const AbcQuery = z
  .strictObject({
    from: From.describe("default the configured period (analytics.abc.periodDays) before to"),
    to: To,
    format: Format,
  })
  .refine(ordered, ORDER_ISSUE);
const DwellQuery = z
  .strictObject({
    sku: SkuSchema.optional(),
    from: From.describe("the exits counted: default all"),
    to: To,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(50)
      .describe("how many of the oldest units on site"),
    format: Format,
  })
  .refine(ordered, ORDER_ISSUE);
const FifoQuery = z
  .strictObject({ from: From.describe("default all"), to: To, format: Format })
  .refine(ordered, ORDER_ISSUE);
const HistoryQuery = z.strictObject({
  sku: SkuSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  format: Format,
});
const AlertsQuery = z.strictObject({
  kind: AnalyticsAlertKindSchema.optional(),
  all: z
    .enum(["true", "false"])
    .default("false")
    .describe("true: cleared alerts too; default the open ones"),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  format: Format,
});

/** Margin alerts are money: only for tokens that may read valuation. */
const MARGIN_KINDS: readonly AnalyticsAlertKind[] = ["below-cost", "below-margin"];

function alertsCsv(alerts: readonly AnalyticsAlertView[]): string {
  let out = csvLine(["id", "kind", "subject", "sku", "message", "raised_at", "cleared_at"]);
  for (const a of alerts) {
    out += csvLine([a.id, a.kind, a.subject, a.sku, a.message, a.raisedAt, a.clearedAt]);
  }
  return out;
}

/**
 * Movement analytics (issue 16): rotation, dwell, FIFO discipline and ABC,
 * all read from the valuation book (which unit came in when, which left),
 * and the analytics alerts. Every list has its CSV (`?format=csv`).
 */
export function analyticsRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, valuation, clock, catalog } = deps;
  const abcStore = new AbcStore(deps.store.db);
  const names = (sku: string) => catalog.nameOf(sku) ?? sku;
  const currency = () => deps.credit.currency;
  const period = (from: Date | undefined, to: Date | undefined, days: number): Period => {
    const end = to ?? clock.now();
    return {
      from: from ? from.toISOString() : lastDays(end, days).from,
      to: end.toISOString(),
    };
  };
  const range = (from: Date | undefined, to: Date | undefined) => ({
    ...(from ? { from: from.toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
  });
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/analytics/rotation",
        aliases: ["/analytics/turnover"],
        summary:
          "turnover per product over a period (default the last 30 days): COGS by the site's method over the average stock value (the mean of each day's closing value), days of stock, units out, their dwell (receipt to exit), units on site and the oldest's age, FIFO breaches, last exit; ?format=csv",
        permission: "analytics:read",
        query: PeriodQuery,
        responses: { 200: { description: "rotation per product", schema: RotationReportSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const p = period(q.from, q.to, 30);
        const report = rotationReport(
          valuation.book(),
          p,
          valuation.method,
          names,
          clock.now(),
          currency(),
        );
        return q.format === "csv"
          ? csvDownload(c, rotationCsv(report), `rotation-${p.to.slice(0, 10)}`)
          : c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/dwell",
        summary:
          "dwell time (receipt to exit, per unit from RFID) of the units that left in a range, as a histogram (0-1, 1-7, 7-30, 30-90, 90+ days), and the oldest units on site now (epc, product, zone, received, age), of one product with `sku`; ?format=csv gives the oldest units",
        permission: "analytics:read",
        query: DwellQuery,
        responses: {
          200: { description: "the histogram and the oldest units", schema: DwellReportSchema },
        },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const report = dwellReport(
          valuation.book(),
          { ...range(q.from, q.to), ...(q.sku ? { sku: q.sku } : {}), limit: q.limit },
          names,
          clock.now(),
        );
        return q.format === "csv"
          ? csvDownload(c, oldestUnitsCsv(report), "oldest-units")
          : c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/fifo",
        summary:
          "FIFO discipline: units that left while a unit of the same product from an earlier delivery (received before under another order, or on an earlier UTC day) was still on site, per product and per zone picked from (out, breaches, rate in percent), with the 50 newest breaches; ?format=csv",
        permission: "analytics:read",
        query: FifoQuery,
        responses: { 200: { description: "FIFO discipline", schema: FifoDisciplineSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const report = fifoDiscipline(valuation.book(), range(q.from, q.to), names);
        return q.format === "csv"
          ? csvDownload(c, fifoDisciplineCsv(report), "fifo-discipline")
          : c.json(report);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/abc",
        summary:
          "ABC classes by share of consumption value (COGS by the site's method) over a period (default the configured one, ending now): A while the cumulative share is within analytics.abc.a percent (the product that crosses it is A), B up to b, C the rest and every product that did not move; `previous` is the class at the last recorded run. Computed, not recorded; ?format=csv",
        permission: "analytics:read",
        query: AbcQuery,
        responses: { 200: { description: "the classes", schema: AbcReportSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const config = deps.analytics.abc;
        const end = q.to ?? clock.now();
        const p = {
          from: (q.from ?? new Date(end.getTime() - config.periodDays * 86_400_000)).toISOString(),
          to: end.toISOString(),
        };
        const report = abcReport(valuation.book(), p, config, names, {
          method: valuation.method,
          currency: currency(),
          previous: abcStore.lastClasses(),
        });
        return q.format === "csv"
          ? csvDownload(c, abcCsv(report), `abc-${p.to.slice(0, 10)}`)
          : c.json(report);
      },
    )
    .route(
      {
        method: "post",
        path: "/analytics/abc/run",
        summary:
          "compute the ABC classes over the configured period ending now and record the run: its classes become the `previous` of the next, and the products whose class changed join the history",
        permission: "analytics:write",
        responses: { 201: { description: "the recorded run", schema: AbcReportSchema } },
      },
      (c) =>
        c.json(
          recordAbcRun({
            book: () => valuation.book(),
            store: abcStore,
            config: () => deps.analytics.abc,
            method: valuation.method,
            currency: currency(),
            names,
            clock,
          }),
          201,
        ),
    )
    .route(
      {
        method: "get",
        path: "/analytics/abc/history",
        summary:
          "the class changes of the recorded ABC runs, newest first (a product's first class is a change from null), of one product with `sku`; ?format=csv",
        permission: "analytics:read",
        query: HistoryQuery,
        responses: { 200: { description: "the changes", schema: AbcHistorySchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const history = abcStore.history({ ...(q.sku ? { sku: q.sku } : {}), limit: q.limit });
        return q.format === "csv"
          ? csvDownload(c, abcHistoryCsv(history, currency()), "abc-history")
          : c.json(history);
      },
    )
    .route(
      {
        method: "get",
        path: "/analytics/alerts",
        summary:
          "analytics alerts, newest first: open ones, or all with all=true; margin alerts (below-cost, below-margin) only for a token that may read valuation; ?format=csv",
        permission: "analytics:read",
        query: AlertsQuery,
        responses: { 200: { description: "the alerts", schema: AnalyticsAlertListSchema } },
        errors: [400],
      },
      (c) => {
        const q = c.req.valid("query");
        const money = allows(c.get("token").role, "valuation:read");
        // Without valuation:read, each other kind is read on its own (newest first, merged), so the
        // margin alerts left out do not eat into the limit.
        const kinds = q.kind
          ? [q.kind].filter((kind) => money || !MARGIN_KINDS.includes(kind))
          : money
            ? [undefined]
            : ANALYTICS_ALERT_KINDS.filter((kind) => !MARGIN_KINDS.includes(kind));
        const alerts = kinds
          .flatMap((kind) =>
            deps.alerts.list({ ...(kind ? { kind } : {}), all: q.all === "true", limit: q.limit }),
          )
          .sort((a, b) => b.id - a.id)
          .slice(0, q.limit);
        return q.format === "csv"
          ? csvDownload(c, alertsCsv(alerts), "analytics-alerts")
          : c.json({ alerts });
      },
    );
}

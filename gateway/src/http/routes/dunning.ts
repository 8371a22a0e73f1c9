import { z } from "zod";
import { DunningConfigSchema } from "../../receivables-reports/dunning.js";
import { DunningRunRefused, runDunning } from "../../receivables-reports/dunning-run.js";
import { dunningCsv } from "../../receivables-reports/exports.js";
import { DunningSettings, dunningQueue } from "../../receivables-reports/service.js";
import type { RouteDeps } from "../context.js";
import { csvDownload } from "../csv-download.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

export const DunningQuery = z.strictObject({
  asOf: z.iso.date().optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

export const DunningRunBody = z.strictObject({
  asOf: z.iso.date().optional().describe("default today; never later than today"),
  /** Refused: kept in the schema only to answer with where the webhook is configured. */
  webhook: z
    .string()
    .optional()
    .describe("refused: the webhook is `dunning.webhook` in the gateway config"),
});

export function dunningRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, store, credit, clock, ledger, dunningWebhook } = deps;
  const settings = new DunningSettings(store.db);
  const record = credit.dunning;
  const today = () => clock.now().toISOString().slice(0, 10);
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/dunning",
        summary:
          "the reminders due: one letter per customer listing every item at a level (configurable days from the due date, courtesy before it), held for review when the customer has an unmatched receipt, a thank-you after full payment; ?format=csv",
        permission: "receivables:read",
        query: DunningQuery,
        responses: { 200: { description: "the queue" } },
        errors: [400],
      },
      (c) => {
        const { asOf, format } = c.req.valid("query");
        const letters = dunningQueue(store.db, asOf ?? today(), settings.get(), record);
        if (format === "csv") {
          return csvDownload(c, dunningCsv(letters, credit.currency), "dunning");
        }
        return c.json({ letters, blockedCustomers: record.blockedCustomers() });
      },
    )
    .route(
      {
        method: "post",
        path: "/dunning/run",
        summary:
          "send the letters due (not the held ones) to the outbox — a directory of JSON files, or the webhook of `dunning.webhook` in the gateway config — recording each one sent (table and gateway ledger); asOf no later than today",
        permission: "receivables:write",
        body: DunningRunBody,
        responses: { 200: { description: "sent, held and failed letters" } },
        errors: [400, 413, 415, 422],
      },
      async (c) => {
        const { asOf, webhook } = c.req.valid("json");
        if (webhook !== undefined)
          throw new ApiError(
            400,
            "invalid_input",
            "a webhook cannot be given per request: set dunning.webhook in the gateway config file and restart the gateway",
            "webhook",
          );
        try {
          const result = await runDunning(
            {
              db: store.db,
              settings,
              record,
              clock,
              ...(dunningWebhook ? { webhook: dunningWebhook } : {}),
              ...(deps.site.timeZone ? { timeZone: deps.site.timeZone } : {}),
            },
            { ...(asOf !== undefined ? { asOf } : {}), actor: c.get("actor") },
          );
          return c.json(result);
        } catch (error) {
          if (error instanceof DunningRunRefused) {
            throw new ApiError(
              error.code === "no_outbox" ? 422 : 400,
              error.code,
              error.message,
              error.path,
            );
          }
          throw error;
        }
      },
    )
    .route(
      {
        method: "get",
        path: "/dunning/config",
        summary: "the site's dunning levels",
        permission: "receivables:read",
        responses: { 200: { description: "levels", schema: DunningConfigSchema } },
      },
      (c) => c.json(settings.get()),
    )
    .route(
      {
        method: "put",
        path: "/dunning/config",
        summary:
          "change the site's dunning levels (days from the due date, negative allowed; fee; credit block); recorded in the gateway ledger",
        permission: "receivables:write",
        body: DunningConfigSchema,
        responses: { 200: { description: "the new levels", schema: DunningConfigSchema } },
        errors: [400, 413, 415],
      },
      (c) => {
        const config = c.req.valid("json");
        store.db.transaction(() => {
          settings.set(config, clock.now().toISOString());
          ledger.record("dunning.configured", { config }, c.get("actor"));
        })();
        return c.json(settings.get());
      },
    );
}

import { dirname, join } from "node:path";
import { z } from "zod";
import { DunningConfigSchema } from "../../receivables-reports/dunning.js";
import { dunningCsv } from "../../receivables-reports/exports.js";
import {
  DirectorySink,
  type LetterSink,
  sendLetters,
  WebhookSink,
} from "../../receivables-reports/outbox.js";
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

/**
 * The latest date that is "today" somewhere that matters for the site: the
 * gateway host's local calendar day (the site's time zone, from TZ) or the
 * UTC day the gateway's reports default to, whichever is later. A date
 * after it is in the future for everyone at the site.
 */
function latestToday(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const utc = now.toISOString().slice(0, 10);
  return local > utc ? local : utc;
}

export function dunningRoutes(deps: RouteDeps): RouteGroup {
  const { tokens, store, credit, clock, ledger, dunningWebhook } = deps;
  const settings = new DunningSettings(store.db);
  const record = credit.dunning;
  const today = () => clock.now().toISOString().slice(0, 10);
  // The default outbox sits beside the database, so that it is backed up and found with it.
  const outbox =
    store.db.name && store.db.name !== ":memory:"
      ? join(dirname(store.db.name), "outbox", "dunning")
      : undefined;
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
        errors: [400, 413, 415],
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
        // A run sends letters and blocks credit: one dated in the future would block customers not yet late.
        const latest = latestToday(clock.now());
        if (asOf !== undefined && asOf > latest)
          throw new ApiError(
            400,
            "invalid_input",
            `asOf ${asOf} is after today (${latest}): a dunning run is dated today or earlier; use GET /dunning?asOf= to preview a later date`,
            "asOf",
          );
        let sink: LetterSink;
        if (dunningWebhook) sink = new WebhookSink(dunningWebhook);
        else if (outbox) sink = new DirectorySink(outbox);
        else
          throw new ApiError(
            422,
            "no_outbox",
            "the gateway's database is in memory, so there is no outbox directory: set dunning.webhook in the gateway config",
          );
        const letters = dunningQueue(store.db, asOf ?? today(), settings.get(), record);
        const result = await sendLetters(letters, sink, record, c.get("actor"), () => clock.now());
        return c.json(result);
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

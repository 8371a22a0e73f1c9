import { dirname, join } from "node:path";
import { Hono } from "hono";
import { z } from "zod";
import { DunningConfigSchema } from "../../receivables-reports/dunning.js";
import { dunningCsv } from "../../receivables-reports/exports.js";
import {
  DirectorySink,
  DunningRecord,
  type LetterSink,
  sendLetters,
  WebhookSink,
} from "../../receivables-reports/outbox.js";
import { DunningSettings, dunningQueue } from "../../receivables-reports/service.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { ApiError } from "../errors.js";
import { valid } from "../validate.js";

export const DunningQuery = z.strictObject({
  asOf: z.iso.date().optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

export const DunningRunBody = z.strictObject({
  asOf: z.iso.date().optional().describe("default today"),
  /** Where to: the outbox directory beside the gateway's database (default), or a webhook. */
  webhook: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("POST each letter as JSON to this URL instead of the outbox directory"),
});

export const dunningDocs: RouteDoc[] = [
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
  {
    method: "post",
    path: "/dunning/run",
    summary:
      "send the letters due (not the held ones) to the outbox — a directory of JSON files or a webhook — recording each one sent (table and gateway ledger)",
    permission: "receivables:write",
    body: DunningRunBody,
    responses: { 200: { description: "sent, held and failed letters" } },
    errors: [400, 413, 415],
  },
  {
    method: "get",
    path: "/dunning/config",
    summary: "the site's dunning levels",
    permission: "receivables:read",
    responses: { 200: { description: "levels", schema: DunningConfigSchema } },
  },
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
];

export function dunningRoutes(deps: RouteDeps) {
  const { tokens, store, credit, clock, ledger } = deps;
  const settings = new DunningSettings(store.db);
  const record = new DunningRecord(store.db, ledger);
  const today = () => clock.now().toISOString().slice(0, 10);
  // The default outbox sits beside the database, so that it is backed up and found with it.
  const outbox =
    store.db.name && store.db.name !== ":memory:"
      ? join(dirname(store.db.name), "outbox", "dunning")
      : undefined;
  return new Hono<GatewayEnv>()
    .get(
      "/dunning",
      requirePermission(tokens, "receivables:read"),
      valid("query", DunningQuery),
      (c) => {
        const { asOf, format } = c.req.valid("query");
        const letters = dunningQueue(store.db, asOf ?? today(), settings.get(), record);
        if (format === "csv") {
          return c.body(dunningCsv(letters, credit.currency), 200, {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": 'attachment; filename="dunning.csv"',
          });
        }
        return c.json({ letters, blockedCustomers: record.blockedCustomers() });
      },
    )
    .post(
      "/dunning/run",
      requirePermission(tokens, "receivables:write"),
      valid("json", DunningRunBody),
      async (c) => {
        const { asOf, webhook } = c.req.valid("json");
        let sink: LetterSink;
        if (webhook) sink = new WebhookSink(webhook);
        else if (outbox) sink = new DirectorySink(outbox);
        else
          throw new ApiError(
            422,
            "no_outbox",
            "the gateway's database is in memory, so there is no outbox directory: give a webhook",
          );
        const letters = dunningQueue(store.db, asOf ?? today(), settings.get(), record);
        const result = await sendLetters(letters, sink, record, c.get("actor"), () => clock.now());
        for (const customer of new Set(result.sent.map((letter) => letter.customer)))
          void credit.publishCustomer(customer);
        return c.json(result);
      },
    )
    .get("/dunning/config", requirePermission(tokens, "receivables:read"), (c) =>
      c.json(settings.get()),
    )
    .put(
      "/dunning/config",
      requirePermission(tokens, "receivables:write"),
      valid("json", DunningConfigSchema),
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

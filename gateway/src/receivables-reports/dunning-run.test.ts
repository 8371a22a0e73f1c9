import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";
import { runDunning } from "./dunning-run.js";
import { DunningSettings } from "./service.js";

let s: ReconciliationSetup | undefined;
let server: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A webhook on loopback that takes its time answering and keeps every letter it is sent. */
async function slowWebhook(): Promise<{ url: string; customers: string[] }> {
  const customers: string[] = [];
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      customers.push((JSON.parse(text) as { customer: string }).customer);
      setTimeout(() => res.writeHead(204).end(), 100);
    });
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/letters`, customers };
}

describe("a dunning run", () => {
  it("sends a letter once when the schedule and a request run at the same moment", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    await s.customer("acme");
    const body = invoiceJson("A1", "acme", [["WID", 1, 10000]], {
      issueDate: "2026-03-01",
      dueDate: "2026-03-01",
    });
    expect((await s.call("POST", "/invoices", { body })).status).toBe(201);
    const webhook = await slowWebhook();
    const deps = {
      db: s.store.db,
      settings: new DunningSettings(s.store.db),
      record: s.credit.dunning,
      clock: s.clock,
      webhook: webhook.url,
      timeZone: "Europe/Paris",
    };
    const [scheduled, requested] = await Promise.all([
      runDunning(deps, { actor: { kind: "system", id: "scheduler" } }),
      runDunning(deps, { actor: { kind: "token", id: "admin" } }),
    ]);
    expect(webhook.customers).toEqual(["acme"]);
    expect([scheduled.sent.length, requested.sent.length]).toEqual([1, 0]);
  });

  it("refuses a date after the site's today, naming the field", async () => {
    s = await reconciliationSetup("2026-03-20T23:30:00.000Z");
    const deps = {
      db: s.store.db,
      settings: new DunningSettings(s.store.db),
      record: s.credit.dunning,
      clock: s.clock,
    };
    // 00:30 on the 21st in Paris: the 21st is today there, the 22nd is not.
    await expect(
      runDunning(
        { ...deps, timeZone: "Europe/Paris" },
        { asOf: "2026-03-21", actor: { kind: "system", id: "t" } },
      ),
    ).resolves.toMatchObject({ failed: [] });
    await expect(
      runDunning(
        { ...deps, timeZone: "Europe/Paris" },
        { asOf: "2026-03-22", actor: { kind: "system", id: "t" } },
      ),
    ).rejects.toMatchObject({ code: "invalid_input", path: "asOf" });
  });
});

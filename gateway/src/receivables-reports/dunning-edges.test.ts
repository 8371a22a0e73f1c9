import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";

/**
 * Issue 13, item 10: a dunning run sends letters and blocks credit, so
 * where it sends them comes from the gateway config only, and it is never
 * dated in the future.
 */

let s: ReconciliationSetup | undefined;
let server: Server | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A webhook on loopback that keeps every letter it is sent. */
async function webhook(): Promise<{ url: string; letters: { customer: string }[] }> {
  const letters: { customer: string }[] = [];
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      letters.push(JSON.parse(text));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/letters`, letters };
}

/** acme owes an invoice 45 days overdue on 2026-03-20: a final notice that blocks credit. */
async function overdueSite(options: { dunningWebhook?: string } = {}) {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z", options);
  await s.customer("acme");
  const res = await s.call("POST", "/invoices/import", {
    body: [
      invoiceJson("A1", "acme", [["WID", 1, 10000]], {
        issueDate: "2026-01-05",
        dueDate: "2026-02-04",
      }),
    ],
  });
  expect(res.status, res.text).toBe(201);
  return s;
}

describe("dunning run: webhook from config only, asOf at most today", () => {
  it("refuses a webhook URL in the request with a 400 naming the config key, and sends nothing", async () => {
    const hook = await webhook();
    const site = await overdueSite();
    const run = await site.call("POST", "/dunning/run", {
      body: { asOf: "2026-03-20", webhook: hook.url },
    });
    expect(run.status).toBe(400);
    expect(run.body.error.path).toBe("webhook");
    expect(run.body.error.message).toContain("dunning.webhook");
    expect(hook.letters).toEqual([]);
    expect(site.gatewayEntries("dunning.sent")).toEqual([]);
    expect((await site.call("GET", "/credit/acme")).body.status).not.toBe("on-hold");
  });

  it("sends the letters to the webhook of the gateway config", async () => {
    const hook = await webhook();
    const site = await overdueSite({ dunningWebhook: hook.url });
    const run = await site.call("POST", "/dunning/run", { body: { asOf: "2026-03-20" } });
    expect(run.status, run.text).toBe(200);
    expect(hook.letters.map((letter) => letter.customer)).toEqual(["acme"]);
  });

  it("refuses asOf after today with a 400, and blocks nobody", async () => {
    const site = await overdueSite();
    const run = await site.call("POST", "/dunning/run", { body: { asOf: "2030-01-01" } });
    expect(run.status).toBe(400);
    expect(run.body.error.path).toBe("asOf");
    expect(run.body.error.message).toContain("after today");
    expect(site.gatewayEntries("dunning.sent")).toEqual([]);
    expect((await site.call("GET", "/dunning?asOf=2030-01-01")).body.blockedCustomers).toEqual([]);
    const today = await site.call("POST", "/dunning/run", { body: { asOf: "2026-03-20" } });
    expect(today.status, today.text).toBe(200);
  });
});

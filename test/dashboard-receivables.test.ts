import { type GatewayServer, serveGateway } from "@comptoir/gateway";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "@comptoir/gateway/testing";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";

// The dashboard's Credit page in a real headless Chromium, against a real
// gateway (SQLite store in a temp dir) on an ephemeral port.

let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
let s: ReconciliationSetup | undefined;
let server: GatewayServer | undefined;

beforeAll(async () => {
  browser = await launchChromium({ locale: "en-US", timezoneId: "UTC" });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await s?.close();
  s = undefined;
});

/** The cells of a row of the aged balance table, header first. */
async function cells(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(`${selector} > *`).allTextContents()).map((text) => text.trim());
}

describe("the dashboard's aged balance", () => {
  it("shows unapplied payments in their own column, per customer and in the totals", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    await s.customer("acme", "ACME Hardware");
    await s.customer("bistro", "Bistro");
    const invoices = [
      invoiceJson("A1", "acme", [["WID", 1, 10000]], {
        issueDate: "2026-02-01",
        dueDate: "2026-03-03",
      }),
      invoiceJson("B1", "bistro", [["WID", 1, 6000]], {
        issueDate: "2026-03-01",
        dueDate: "2026-03-31",
      }),
    ];
    expect((await s.call("POST", "/invoices/import", { body: invoices })).status).toBe(201);
    // bistro pays 80.00 on a 60.00 invoice: 20.00 left unapplied, 5 days old.
    const paid = await s.call("POST", "/payments/import", {
      raw: "id,date,amount,label,customer\nP1,2026-03-15,80.00,VIR BISTRO B1,bistro",
      type: "text/csv",
    });
    expect(paid.status, paid.text).toBe(201);
    // Then a new invoice, not yet due: the 20.00 stays unapplied beside it.
    const b2 = invoiceJson("B2", "bistro", [["WID", 1, 6000]], {
      issueDate: "2026-03-16",
      dueDate: "2026-04-15",
    });
    expect((await s.call("POST", "/invoices", { body: b2 })).status).toBe(201);

    server = await serveGateway(
      {
        store: s.store,
        ledger: s.ledger,
        tokens: s.tokens,
        catalog: s.credit.catalog,
        credit: s.credit,
        events: s.events,
        clock: s.clock,
      },
      { host: "127.0.0.1", port: 0 },
    );
    const page = await (browser as NonNullable<typeof browser>).context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=signin]");
    await page.fill("#token", s.token.accounting);
    await page.click("#sign-in button[type=submit]");
    await page.waitForSelector("body[data-ready=true]");
    await page.click("#nav a[data-page=credit]");
    await page.waitForSelector("body[data-page=credit]");

    const table = "table.aging";
    await page.locator(table).waitFor();
    expect(await cells(page, `${table} thead tr`)).toEqual([
      "Customer",
      "current",
      "1-30",
      "31-60",
      "61-90",
      "91-120",
      "over-120",
      "unapplied",
      "total",
    ]);
    expect(await cells(page, `${table} tr[data-aging-customer=acme]`)).toEqual([
      "ACME Hardware",
      "€0.00",
      "€100.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€100.00",
    ]);
    // Not netted into 1-30 (where the payment's age would put it): its own column.
    expect(await cells(page, `${table} tr[data-aging-customer=bistro]`)).toEqual([
      "Bistro",
      "€60.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "-€20.00",
      "€40.00",
    ]);
    expect(await cells(page, `${table} tr[data-aging-total]`)).toEqual([
      "Total",
      "€60.00",
      "€100.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "€0.00",
      "-€20.00",
      "€140.00",
    ]);
    // The bars show the column too.
    expect(await page.locator("svg[aria-label='aged balance'] title").allTextContents()).toContain(
      "unapplied: -€20.00",
    );
    expect(problems).toEqual([]);
  });
});

import type { Catalog } from "@comptoir/contracts";
import {
  A,
  B,
  CLERK,
  type Counter,
  entries,
  GTIN_LAMP,
  poll,
  SUPERVISOR_PIN,
  setupCounter,
} from "@comptoir/device/node/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";

// Lines under cost on the POS page, in a real headless Chromium at a counter
// screen's size, against a real counter node and broker whose catalog (sent
// by the test as the gateway) carries each product's next unit's cost.

let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchChromium({ viewport: { width: 800, height: 480 }, hasTouch: true });
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The counter's catalog again (version 2), with costs: the chair sells at 150.00 and costs 160.00. */
const COSTED: Catalog = {
  version: 2,
  currency: "EUR",
  asOf: "2026-11-27T09:00:00.000Z",
  products: [
    { sku: "CHAIR", name: "Oak chair", unitPrice: 15_000, unitCost: 16_000 },
    { sku: "TABLE", name: "Oak table", unitPrice: 30_000, unitCost: 20_000 },
    { sku: "LAMP", gtin: GTIN_LAMP, name: "Desk lamp", unitPrice: 15_000, unitCost: 9_000 },
  ],
};

async function costedCounter(pos: Record<string, unknown>): Promise<Counter> {
  const { counter, gateway } = await setupCounter(cleanups, pos);
  await gateway.catalog(COSTED);
  await poll(async () => (await counter.call("GET", "/pos/status")).body.catalog?.version).toBe(2);
  await counter.node.runtime.commission({ epc: A, sku: "CHAIR" });
  await counter.node.runtime.commission({ epc: B, sku: "TABLE" });
  return counter;
}

/** A page on the counter's POS with the till's token given and the clerk signed in. */
async function openTill(counter: Counter, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Provoked: 401 before the token is given, 422 for the sale refused for its cost; and 503
    // from /health, which names the test node's stand-in reader ("no reader in this test").
    const refused = /Failed to load resource: .* status of (401|422|503)\b/.test(message.text());
    if (message.type() === "error" && !refused) problems.push(`console: ${message.text()}`);
  });
  cleanups.push(() => page.close());
  await page.goto(`${counter.url}/pos`);
  await page.locator("#token-input").fill(counter.token);
  await page.locator("#token-save").click();
  await page.waitForSelector("body[data-ready=true]");
  await poll(() => page.locator("#link").textContent()).toBe("online");
  await page.locator("#sign-in").tap();
  await page.locator(`#clerks button[data-clerk="${CLERK.id}"]`).tap();
  await page.locator("#signin-pin").fill(CLERK.pin);
  await page.locator("#signin-ok").tap();
  await poll(() => page.locator("#clerk-name").textContent()).toBe(CLERK.name);
  return page;
}

describe("the POS page, lines under cost", () => {
  it("warn: shows the line under cost with its price and cost, and sells", async () => {
    const counter = await costedCounter({});
    const problems: string[] = [];
    const page = await openTill(counter, problems);
    counter.putOnCounter(A);
    counter.putOnCounter(B);
    await poll(() => page.locator("#total").textContent()).toBe("€450.00");
    expect(await page.locator("#lines li.under-cost .below-cost").allTextContents()).toEqual([
      "under cost: €150.00 < €160.00",
    ]);
    expect(await page.locator("#lines li.under-cost").getAttribute("data-sku")).toBe("CHAIR");

    await page.locator("#sell-cash").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €450.00");
    const [sale] = await entries(counter, "sale");
    expect(sale?.data).toMatchObject({
      payment: "cash",
      belowCost: { policy: "warn", lines: [{ sku: "CHAIR", unitPrice: 15_000, unitCost: 16_000 }] },
    });
    expect(problems).toEqual([]);
  });

  it("block: the sale is refused, the supervisor dialog names the line, and their PIN completes it", async () => {
    const counter = await costedCounter({ belowCost: "block" });
    const problems: string[] = [];
    const page = await openTill(counter, problems);
    counter.putOnCounter(A);
    await poll(() => page.locator("#lines li.under-cost .below-cost").allTextContents()).toEqual([
      "under cost: €150.00 < €160.00",
    ]);

    await page.locator("#sell-cash").tap();
    await poll(() => page.locator("#override-dialog").getAttribute("open")).toBe("");
    expect(await page.locator("#override-title").textContent()).toBe("Sale under cost");
    expect(await page.locator("#override-under li").allTextContents()).toEqual([
      "Oak chair: €150.00 < cost €160.00",
    ]);
    expect(await page.locator("#override-for").textContent()).toBe("€150.00 cash");
    expect(await entries(counter, "sale")).toEqual([]);

    await page.locator('#supervisors button[data-supervisor="sup-1"]').tap();
    await page.locator("#reasons-preset button").first().tap();
    for (const key of SUPERVISOR_PIN) await page.locator(`#pinpad button[data-key="${key}"]`).tap();
    await page.locator("#override-ok").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €150.00");
    expect(await page.locator("#override-dialog").getAttribute("open")).toBeNull();
    const [sale] = await entries(counter, "sale");
    expect(sale?.data).toMatchObject({
      payment: "cash",
      clerk: CLERK.id,
      belowCost: {
        policy: "block",
        lines: [{ line: 0, sku: "CHAIR", unitPrice: 15_000, unitCost: 16_000 }],
        override: { supervisor: "sup-1", reason: "clearance" },
      },
    });
    await poll(() => page.locator("#lines li").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

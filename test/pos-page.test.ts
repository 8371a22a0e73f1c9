import { join } from "node:path";
import {
  A,
  B,
  C,
  CLERK,
  entries,
  GTIN_LAMP,
  poll,
  SUPERVISOR_PIN,
  setupCounter,
} from "@comptoir/device/node/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";

// The POS page in a real headless Chromium at a counter screen's size
// (800×480, touch), against a real counter node and broker.

const SCREENSHOTS = process.env.COMPTOIR_SCREENSHOTS;

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

async function screenshot(page: Page, name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe("the POS page", () => {
  it("picks a customer, shows the figures, fills the basket from the reader, blocks, overrides, and sells offline", async () => {
    const { counter, broker } = await setupCounter(cleanups);
    const runtime = counter.node.runtime;
    for (const epc of [A, B, C]) await runtime.commission({ epc, sku: "TABLE" });

    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // What the test provokes is not a problem: 401 before the token is given, 422 blocked
      // sale, 503 from /health once the broker is stopped.
      const refused = /Failed to load resource: .* status of (401|422|503)\b/.test(message.text());
      if (message.type() === "error" && !refused) problems.push(`console: ${message.text()}`);
    });
    cleanups.push(() => page.close());
    // The till asks for its terminal token once; a person pastes it and it is kept.
    await page.goto(`${counter.url}/pos`);
    await page.locator("#token-input").fill(counter.token);
    await page.locator("#token-save").click();
    await page.waitForSelector("body[data-ready=true]");
    await poll(() => page.locator("#link").textContent()).toBe("online");
    // The clerk signs in with their PIN; the sales record them.
    await page.locator("#sign-in").tap();
    await page.locator(`#clerks button[data-clerk="${CLERK.id}"]`).tap();
    await page.locator("#signin-pin").fill(CLERK.pin);
    await page.locator("#signin-ok").tap();
    await poll(() => page.locator("#clerk-name").textContent()).toBe(CLERK.name);

    // Pick the customer by touch: the figures show at once.
    await page.locator('#customers button[data-customer="acme"]').tap();
    await poll(() => page.locator("#f-limit").textContent()).toBe("5 000.00 EUR");
    expect(await page.locator("#f-exposure").textContent()).toBe("4 200.00 EUR");
    expect(await page.locator("#f-available").textContent()).toBe("800.00 EUR");
    expect(await page.locator("#f-overdue").textContent()).toBe("0.00 EUR");
    expect(await page.locator("#offline").isHidden()).toBe(true);

    // Tags put on the counter reader appear in the basket as they arrive.
    counter.putOnCounter(A);
    await poll(() => page.locator("#lines li").allTextContents()).toEqual(["1 × Oak table300.00−"]);
    counter.putOnCounter(B);
    counter.putOnCounter(C);
    await poll(() => page.locator("#total").textContent()).toBe("900.00 EUR");
    await screenshot(page, "pos-basket");

    // On account: 4 200.00 + 900.00 > 5 000.00 — blocked, with the reason, nothing sold.
    await page.locator("#sell-account").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("BLOCKED");
    expect(await page.locator("#reasons li").allTextContents()).toEqual([
      "exposure 5 100.00 > limit 5 000.00; available 800.00",
    ]);
    await screenshot(page, "pos-blocked");
    expect(await entries(counter, "sale")).toEqual([]);

    // The supervisor overrides on the PIN pad, with a reason picked by touch.
    await page.locator("#override").tap();
    await page.locator('#supervisors button[data-supervisor="sup-1"]').tap();
    await page.locator("#reasons-preset button").first().tap();
    for (const key of SUPERVISOR_PIN) await page.locator(`#pinpad button[data-key="${key}"]`).tap();
    expect(await page.locator("#pin-dots").textContent()).toBe("••••••");
    await screenshot(page, "pos-override-dialog");
    await page.locator("#override-ok").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · 900.00 EUR");
    const [sale] = await entries(counter, "sale");
    expect(sale?.data).toMatchObject({
      customer: "acme",
      clerk: CLERK.id,
      override: {
        supervisor: "sup-1",
        reason: "payment promised today",
        exposureBefore: 420_000,
        exposureAfter: 510_000,
        limit: 500_000,
      },
    });
    await poll(() => page.locator("#f-exposure").textContent()).toBe("5 100.00 EUR");
    await poll(() => page.locator("#lines li").count()).toBe(0);
    await page.locator("#dismiss").tap();

    // Cut off from the gateway: the screen says how old the credit data is; a cash sale still goes through.
    await broker.stop();
    const hhmm = await page.evaluate(() => {
      const d = new Date("2026-11-27T09:12:00.000Z");
      return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    });
    await poll(() => page.locator("#offline").textContent()).toBe(
      `offline — credit data from ${hhmm}`,
    );
    await page.locator("#gtin").fill(GTIN_LAMP);
    await page.locator("#add-form button").tap();
    await poll(() => page.locator("#total").textContent()).toBe("150.00 EUR");
    await page.locator("#sell-cash").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · 150.00 EUR");
    await screenshot(page, "pos-offline-sale");
    const sales = await entries(counter, "sale");
    expect(sales.map((e) => (e.data as { payment: string }).payment)).toEqual(["account", "cash"]);
    expect(problems).toEqual([]);
  });
});

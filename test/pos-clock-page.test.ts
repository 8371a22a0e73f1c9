import {
  CLERK,
  type Counter,
  entries,
  GTIN_LAMP,
  poll,
  setupCounter,
} from "@comptoir/device/node/testing";
import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";

// The POS page in a real headless Chromium, against a real counter node whose OS says
// its clock has not been set by NTP yet (a Pi after a power cut, no real-time clock).

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

async function openTill(counter: Counter) {
  const page = await context.newPage();
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

describe("the POS page on a till whose clock is not synchronised", () => {
  it("offline, says why the credit data's age is unknown and blocks on account; cash still sells", async () => {
    const { counter, broker } = await setupCounter(cleanups, {}, async () => "unsynced");
    const page = await openTill(counter);
    await page.locator('#customers button[data-customer="acme"]').tap();
    await poll(() => page.locator("#f-limit").textContent()).toBe("€5,000.00");
    // Online, the gateway keeps the figures current: nothing to say.
    expect(await page.locator("#offline").isHidden()).toBe(true);

    await broker.stop();
    await poll(() => page.locator("#offline").textContent()).toContain(
      "this till's clock is not synchronised yet: the age of the credit data from",
    );
    await page.locator("#gtin").fill(GTIN_LAMP);
    await page.locator("#add-form button").tap();
    await poll(() => page.locator("#total").textContent()).toBe("€150.00");
    // S4 approves 150.00 offline with a 48-minute-old snapshot; here its age cannot be known.
    await page.locator("#sell-account").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("BLOCKED");
    expect(await page.locator("#reasons li").allTextContents()).toEqual([
      expect.stringContaining("this till's clock is not synchronised yet"),
    ]);
    await page.locator("#dismiss").tap();
    await page.locator("#sell-cash").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €150.00");
    const sales = await entries(counter, "sale");
    expect(sales.map((e) => (e.data as { payment: string }).payment)).toEqual(["cash"]);
  });
});

import { join } from "node:path";
import {
  A,
  B,
  C,
  CLERK,
  type Counter,
  entries,
  GTIN_LAMP,
  poll,
  SUPERVISOR_PIN,
  setupCounter,
  snapshot,
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

/** A page on the counter's POS with the till's token given and the clerk signed in. */
async function openTill(counter: Counter, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // What the tests provoke is not a problem: 401 before the token is given, 403 wrong PIN,
    // 422 blocked sale, 503 from /health once the broker is stopped.
    const refused = /Failed to load resource: .* status of (401|403|422|503)\b/.test(
      message.text(),
    );
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

/** The visible elements the selector finds lie wholly on the screen: nothing to scroll to. */
async function onScreen(page: Page, selector: string): Promise<string[]> {
  const screen = page.viewportSize() ?? { width: 0, height: 0 };
  const off: string[] = [];
  for (const element of await page.locator(selector).all()) {
    if (!(await element.isVisible())) continue;
    const box = await element.boundingBox();
    const fits =
      box !== null &&
      box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.width <= screen.width &&
      box.y + box.height <= screen.height;
    if (!fits) off.push(`${await element.textContent()} is off screen`);
  }
  return off;
}

describe("the POS page", () => {
  it("picks a customer, shows the figures, fills the basket from the reader, blocks, overrides, and sells offline", async () => {
    const { counter, broker } = await setupCounter(cleanups);
    const runtime = counter.node.runtime;
    for (const epc of [A, B, C]) await runtime.commission({ epc, sku: "TABLE" });

    // The till asks for its terminal token once; a person pastes it and it is kept. The clerk
    // signs in with their PIN; the sales record them.
    const problems: string[] = [];
    const page = await openTill(counter, problems);

    // Pick the customer by touch: the figures show at once.
    await page.locator('#customers button[data-customer="acme"]').tap();
    await poll(() => page.locator("#f-limit").textContent()).toBe("€5,000.00");
    expect(await page.locator("#f-exposure").textContent()).toBe("€4,200.00");
    expect(await page.locator("#f-available").textContent()).toBe("€800.00");
    expect(await page.locator("#f-overdue").textContent()).toBe("€0.00");
    expect(await page.locator("#offline").isHidden()).toBe(true);

    // Tags put on the counter reader appear in the basket as they arrive.
    counter.putOnCounter(A);
    await poll(() => page.locator("#lines li").allTextContents()).toEqual([
      "1 × Oak table€300.00−",
    ]);
    counter.putOnCounter(B);
    counter.putOnCounter(C);
    await poll(() => page.locator("#total").textContent()).toBe("€900.00");
    await screenshot(page, "pos-basket");

    // On account: 4 200.00 + 900.00 > 5 000.00 — blocked, with the reason, nothing sold.
    await page.locator("#sell-account").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("BLOCKED");
    expect(await page.locator("#reasons li").allTextContents()).toEqual([
      "exposure €5,100.00 > limit €5,000.00; available €800.00",
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
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €900.00");
    expect(await page.locator("#verdict-for").textContent()).toBe("ACME Joineryacmeon account");
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
    await poll(() => page.locator("#f-exposure").textContent()).toBe("€5,100.00");
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
    await poll(() => page.locator("#total").textContent()).toBe("€150.00");
    await page.locator("#sell-cash").tap();
    await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €150.00");
    await screenshot(page, "pos-offline-sale");
    const sales = await entries(counter, "sale");
    expect(sales.map((e) => (e.data as { payment: string }).payment)).toEqual(["account", "cash"]);
    expect(problems).toEqual([]);
  });
});

describe("the POS page's verdicts", () => {
  it.each([
    { width: 800, height: 480, code: "no-credit", cashOnly: { limit: 0, outstanding: 0 } },
    { width: 1024, height: 600, code: "on-hold", cashOnly: { status: "on-hold" as const } },
  ])(
    "at $width×$height: names customers, sells now what was checked, sells for cash after a $code block, and names who and how much in the override",
    async ({ width, height, code, cashOnly }) => {
      const { counter, gateway } = await setupCounter(cleanups);
      // A cash-only customer besides ACME Joinery.
      await gateway.snapshot(
        snapshot({ customer: "bistro", name: "Bistro Lumière", ...cashOnly }),
        "bistro",
      );
      const runtime = counter.node.runtime;
      for (const epc of [A, B, C]) await runtime.commission({ epc, sku: "TABLE" });
      const problems: string[] = [];
      const page = await openTill(counter, problems);
      await page.setViewportSize({ width, height });

      // The picker lists customers by name, the id as secondary text only.
      await poll(() => page.locator("#customers button .id").allTextContents()).toEqual([
        "acme",
        "bistro",
      ]);
      expect(await page.locator("#customers button").allTextContents()).toEqual([
        "ACME Joineryacme",
        "Bistro Lumièrebistro",
      ]);
      await page.locator('#customers button[data-customer="acme"]').tap();
      await poll(() => page.locator("#customer-name .name").textContent()).toBe("ACME Joinery");

      // Approved: the verdict offers "Sell now" for the basket checked.
      counter.putOnCounter(A);
      await poll(() => page.locator("#total").textContent()).toBe("€300.00");
      await page.locator("#check").tap();
      await poll(() => page.locator("#verdict").textContent()).toBe("APPROVED");
      expect(await page.locator("#verdict-for").textContent()).toBe("ACME Joineryacme€300.00");
      expect(await page.locator("#sell-now").isVisible()).toBe(true);
      expect(await page.locator("#sell-for-cash").isVisible()).toBe(false);
      expect(await page.locator("#override").isVisible()).toBe(false);
      expect(await onScreen(page, "#answer button")).toEqual([]);
      await screenshot(page, `pos-approved-${width}`);

      // The basket changed since the check: "Sell now" checks again and sells nothing yet.
      counter.putOnCounter(B);
      await poll(() => page.locator("#total").textContent()).toBe("€600.00");
      await page.locator("#sell-now").tap();
      await poll(() => page.locator("#verdict-note").textContent()).toBe(
        "the basket changed: checked again",
      );
      expect(await page.locator("#verdict").textContent()).toBe("APPROVED");
      expect(await page.locator("#verdict-for .amount").textContent()).toBe("€600.00");
      expect(await entries(counter, "sale")).toEqual([]);
      // The same basket as checked: sold on account, the receipt names the customer.
      await page.locator("#sell-now").tap();
      await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €600.00");
      expect(await page.locator("#verdict-for").textContent()).toBe("ACME Joineryacmeon account");
      const [onAccount] = await entries(counter, "sale");
      expect(onAccount?.data).toMatchObject({
        customer: "acme",
        payment: "account",
        total: 60_000,
        lines: [{ sku: "TABLE", epcs: [A, B] }],
      });
      expect(await page.locator("#sell-now").isVisible()).toBe(false);
      await page.locator("#dismiss").tap();

      // A cash-only customer: blocked, and the verdict offers the same basket for cash.
      await page.locator("#change-customer").tap();
      await page.locator('#customers button[data-customer="bistro"]').tap();
      await poll(() => page.locator("#customer-name .name").textContent()).toBe("Bistro Lumière");
      counter.putOnCounter(C);
      await poll(() => page.locator("#total").textContent()).toBe("€300.00");
      await page.locator("#check").tap();
      await poll(() => page.locator("#verdict").textContent()).toBe("BLOCKED");
      const codes = await Promise.all(
        (await page.locator("#reasons li").all()).map((item) => item.getAttribute("data-code")),
      );
      expect(codes).toContain(code);
      expect(await page.locator("#verdict-for .name").textContent()).toBe("Bistro Lumière");
      expect(await page.locator("#sell-for-cash").isVisible()).toBe(true);
      expect(await page.locator("#override").isVisible()).toBe(true);
      expect(await page.locator("#sell-now").isVisible()).toBe(false);
      expect(await onScreen(page, "#answer button")).toEqual([]);
      await screenshot(page, `pos-cash-only-${width}`);

      // The override dialog says whose sale and how much a supervisor approves.
      await page.locator("#override").tap();
      expect(await page.locator("#override-for .name").textContent()).toBe("Bistro Lumière");
      expect(await page.locator("#override-for .amount").textContent()).toBe("€300.00 on account");
      await page.locator('#supervisors button[data-supervisor="sup-1"]').tap();
      await page.locator("#reasons-preset button").first().tap();
      for (const key of "000000") await page.locator(`#pinpad button[data-key="${key}"]`).tap();
      await page.locator("#override-ok").tap();
      await poll(() => page.locator("#override-status").textContent()).toMatch(/PIN/);
      expect(await onScreen(page, "#override-dialog button")).toEqual([]);
      await screenshot(page, `pos-override-wrong-pin-${width}`);
      // A new digit starts a new attempt: the old "wrong PIN" goes at once.
      await page.locator('#pinpad button[data-key="4"]').tap();
      expect(await page.locator("#override-status").textContent()).toBe("");
      expect(await page.locator("#pin-dots").textContent()).toBe("•");
      await page.locator("#override-cancel").tap();

      // Sell for cash: the same basket, paid; the block stays in the ledger.
      await page.locator("#sell-for-cash").tap();
      await poll(() => page.locator("#verdict").textContent()).toBe("SOLD · €300.00");
      expect(await page.locator("#verdict-for").textContent()).toBe("Bistro Lumièrebistrocash");
      const sales = await entries(counter, "sale");
      expect(sales.map((e) => e.data)).toMatchObject([
        { customer: "acme", payment: "account" },
        { customer: "bistro", payment: "cash", total: 30_000, lines: [{ epcs: [C] }] },
      ]);
      const decisions = (await entries(counter, "credit-decision")).map(
        (e) => e.data as { customer: string; decision: string },
      );
      expect(decisions.map((d) => `${d.customer} ${d.decision}`)).toEqual([
        "acme approve",
        "acme approve",
        "acme approve",
        "bistro block",
      ]);
      expect(problems).toEqual([]);
    },
  );
});

describe("the POS page's verdict layout", () => {
  it("keeps the verdict's buttons on an 800×480 screen when the reasons are many (itemised overdue invoices)", async () => {
    const { counter } = await setupCounter(cleanups);
    await counter.node.runtime.commission({ epc: A, sku: "TABLE" });
    const problems: string[] = [];
    const page = await openTill(counter, problems);
    await page.locator('#customers button[data-customer="acme"]').tap();
    counter.putOnCounter(A);
    await poll(() => page.locator("#total").textContent()).toBe("€300.00");
    // The node's answer as the longest one can be: ten reasons, each long enough to wrap.
    await page.route("**/api/v1/pos/check", (route) =>
      route.fulfill({
        status: 201,
        json: {
          decision: "block",
          seq: 9,
          figures: {
            currency: "EUR",
            limit: 500_000,
            exposure: 420_000,
            amount: 30_000,
            availableAfter: 50_000,
            overdue: 1_234_560,
            snapshotVersion: 1,
            snapshotAsOf: "2026-11-27T09:12:00.000Z",
            offline: false,
          },
          reasons: Array.from({ length: 10 }, (_, i) => ({
            code: "overdue",
            message: `invoice INV-2026-00${i}: 1 234.56 remaining, ${31 + i} days overdue (the site allows 50.00 for 30 days)`,
          })),
        },
      }),
    );
    await page.locator("#check").tap();
    await poll(() => page.locator("#reasons li").count()).toBe(10);
    expect(await page.locator("#verdict").isVisible()).toBe(true);
    expect(await onScreen(page, "#verdict, #answer button")).toEqual([]);
    expect(problems).toEqual([]);
  });
});

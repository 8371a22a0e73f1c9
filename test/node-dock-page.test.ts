import { join } from "node:path";
import type { CreditReason, NodeAlert, OrderStateMessage } from "@comptoir/contracts";
import { createNodeApp, type NodeServer, serveNodeApp } from "@comptoir/device";
import { FakeNodeApi } from "@comptoir/device/http/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";

// Issue 15 on the node's pages, in a real headless Chromium against the
// node's HTTP app over a fake NodeApi the test drives: a held order refused
// at the dock with its reasons, the order's state next to it, and the
// "goods left under credit hold" banner, live and for a page opened later.

const SCREENSHOTS = process.env.COMPTOIR_SCREENSHOTS;

async function screenshot(page: Page, name: string) {
  if (SCREENSHOTS)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const OVER_LIMIT: CreditReason[] = [
  { code: "over-limit", message: "over the credit limit by 50.00" },
  { code: "overdue", message: "INV-9: 600.00 overdue by 35 days" },
];

function held(order: string, version = 1): OrderStateMessage {
  return {
    order,
    customer: "acme",
    customerName: "ACME Joinery",
    state: "held",
    reasons: OVER_LIMIT,
    version,
    asOf: "2026-12-07T08:00:00.000Z",
  };
}

function breach(order: string, seq: number): NodeAlert {
  return {
    kind: "hold-breach",
    message: `goods left under credit hold: ${order} (ACME Joinery) — over the credit limit by 50.00`,
    order,
    customer: "acme",
    customerName: "ACME Joinery",
    state: "held",
    reasons: OVER_LIMIT.slice(0, 1),
    offline: seq % 2 === 0,
    at: "2026-12-07T09:00:00.000Z",
    seq,
  };
}

/** Serves the app over `api` and opens `path`, failing on any script error or CSP violation. */
async function open(api: FakeNodeApi, path: string) {
  const server: NodeServer = await serveNodeApp(
    createNodeApp(api, { heartbeatMs: 1000, kiosk: true }),
    "127.0.0.1:0",
  );
  const page: Page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // The browser logs every 4xx; the refusal the test provokes (422) is not a problem.
    const refused = /Failed to load resource: .* status of 422\b/.test(message.text());
    if (message.type() === "error" && !refused) problems.push(`console: ${message.text()}`);
  });
  cleanups.push(async () => {
    await page.close();
    await server.close();
  });
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("#live[data-kind=ok]");
  await expect.poll(() => api.listenerCount).toBeGreaterThan(0);
  return { page, problems };
}

async function setDock(page: Page, order: string) {
  await page.locator("#dock-form [name=order]").fill(order);
  await page.locator("#dock-form button[type=submit]").click();
}

describe("the dock form (station and warehouse pages)", () => {
  for (const [role, path] of [
    ["station", "/station"],
    ["portal", "/warehouse"],
  ] as const) {
    it(`${path}: refuses a held order with its reasons, then shows a released one's state`, async () => {
      const api = new FakeNodeApi({ nodeId: "dock-1", role });
      api.putOrderState(held("SO-1"));
      const { page, problems } = await open(api, path);

      await setDock(page, "SO-1");
      const refusal = page.locator("#dock-refusal");
      await refusal.waitFor();
      expect(await refusal.locator("strong").textContent()).toBe(
        "order SO-1 (ACME Joinery) is held for credit: over the credit limit by 50.00; INV-9: 600.00 overdue by 35 days — it may go to the dock once released",
      );
      expect(await refusal.locator("li").allTextContents()).toEqual([
        "over the credit limit by 50.00",
        "INV-9: 600.00 overdue by 35 days",
      ]);
      expect(await page.locator("#dock-current").textContent()).toBe("none");
      expect(api.dockOrder().order).toBeNull();
      await screenshot(page, `dock-refused-${role}`);

      api.putOrderState({ ...held("SO-1", 2), state: "released", reasons: [] });
      await setDock(page, "SO-1");
      await expect.poll(() => page.locator("#dock-current").textContent()).toBe("SO-1 for acme");
      expect(await page.locator("#dock-state").textContent()).toBe("released");
      expect(await refusal.isHidden()).toBe(true);

      // The hold comes back while the page is open: the state next to the order says so.
      api.putOrderState(held("SO-1", 3));
      await expect
        .poll(() => page.locator("#dock-state").textContent())
        .toBe("held: over the credit limit by 50.00; INV-9: 600.00 overdue by 35 days");
      expect(await page.locator("#dock-state").getAttribute("data-state")).toBe("held");
      expect(problems).toEqual([]);
    });
  }
});

describe("goods left under credit hold", () => {
  for (const [role, path] of [
    ["portal", "/warehouse"],
    ["station", "/station"],
  ] as const) {
    it(`${path}: shows the banner at once, and to a page opened later`, async () => {
      const api = new FakeNodeApi({ nodeId: "dock-1", role });
      const { page, problems } = await open(api, path);
      expect(await page.locator("#alerts").isHidden()).toBe(true);

      api.raiseAlert(breach("SO-7", 41));
      const banner = page.locator("#alerts .alert[data-order=SO-7]");
      await banner.waitFor();
      expect(await banner.locator(".alert-text").textContent()).toBe(
        "goods left under credit hold: SO-7 (ACME Joinery) — over the credit limit by 50.00",
      );
      expect(await page.locator("#alerts").getAttribute("role")).toBe("alert");

      // Opened after it was raised: the page's initial data has it, with the offline note.
      api.raiseAlert(breach("SO-8", 42));
      const later = await open(api, path);
      await later.page.locator("#alerts .alert[data-order=SO-8]").waitFor();
      expect(await later.page.locator("#alerts .alert").count()).toBe(2);
      expect(await later.page.locator("#alerts .alert").first().textContent()).toContain(
        "while offline",
      );
      await screenshot(later.page, `hold-breach-${role}`);
      // Dismissed on this page only.
      await later.page.locator("#alerts .alert[data-order=SO-8] .dismiss").click();
      await expect.poll(() => later.page.locator("#alerts .alert").count()).toBe(1);
      expect(problems).toEqual([]);
      expect(later.problems).toEqual([]);
    });
  }
});

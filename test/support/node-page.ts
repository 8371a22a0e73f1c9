import { join } from "node:path";
import {
  createNodeApp,
  type NodeAppOptions,
  type NodeServer,
  serveNodeApp,
} from "@comptoir/device";
import type { FakeNodeApi } from "@comptoir/device/http/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchChromium } from "./chromium.js";

const SCREENSHOTS = process.env.COMPTOIR_SCREENSHOTS;

/** Saves a full-page screenshot as `<name>.png` when COMPTOIR_SCREENSHOTS names a folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Call at the top of a page test file: one headless Chromium for the file,
 * and `open(api, path)`, which serves the node's HTTP app over `api` on an
 * ephemeral port and opens `path` in a new tab (both closed after the test),
 * collecting every script error or CSP violation in `problems`; `options` add
 * to the app's (a catalog to name products from). The browser
 * logs each 4xx as an error: the `refused` statuses the test provokes are
 * not problems.
 */
export function nodePages({ refused }: { refused: number[] }) {
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
  const refusal = new RegExp(`Failed to load resource: .* status of (${refused.join("|")})\\b`);

  return async function open(
    api: FakeNodeApi,
    path: string,
    viewport = { width: 1000, height: 800 },
    options: NodeAppOptions = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const server: NodeServer = await serveNodeApp(
      // Kiosk mode: the browser runs on the node itself, as a screen on the node would.
      createNodeApp(api, { heartbeatMs: 1000, kiosk: true, ...options }),
      "127.0.0.1:0",
    );
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !refusal.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    cleanups.push(async () => {
      await page.close();
      await server.close();
    });
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector("#live[data-kind=ok]");
    await expect.poll(() => api.listenerCount).toBeGreaterThan(0);
    return { page, problems };
  };
}

import { FakeNodeApi } from "@comptoir/device/http/testing";
import { cleanupsAfterEach, poll, setupCounter } from "@comptoir/device/node/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { nodePages } from "./support/node-page.js";

// Issue 17: what a node's pages offer follows its role. A counter opens on
// its POS; the dock's order is set on portals and stations only.

const open = nodePages({ refused: [422] });
const cleanups = cleanupsAfterEach();
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

beforeAll(async () => {
  browser = await launchChromium({ viewport: { width: 800, height: 480 } });
});
afterAll(async () => {
  await browser?.close();
});

describe("a counter node's home", () => {
  it("is the POS, which links to the warehouse view", async () => {
    const { counter } = await setupCounter(cleanups);
    const context = browser?.context;
    if (!context) throw new Error("no browser");
    const page = await context.newPage();
    cleanups.push(() => page.close());
    await page.goto(`${counter.url}/`);
    expect(new URL(page.url()).pathname).toBe("/pos");
    expect(await page.locator("body").getAttribute("data-page")).toBe("pos");
    expect(await page.locator("#warehouse-link").getAttribute("href")).toBe("/warehouse");
    await page.goto(`${counter.url}/warehouse`);
    await poll(() => page.locator("header nav a").allTextContents()).toContain("Counter");
  });
});

describe("the dock's order form", () => {
  for (const [role, shown] of [
    ["portal", true],
    ["station", true],
    ["shelf", false],
    ["counter", false],
  ] as const) {
    it(`is ${shown ? "offered" : "absent"} on a ${role} node's pages`, async () => {
      const api = new FakeNodeApi({ nodeId: `${role}-1`, role });
      for (const path of ["/warehouse", "/station"]) {
        const { page, problems } = await open(api, path);
        expect(await page.locator("#dock-form").count(), path).toBe(shown ? 1 : 0);
        expect(await page.locator("#dock").count(), path).toBe(shown ? 1 : 0);
        expect(problems, path).toEqual([]);
      }
    });
  }
});

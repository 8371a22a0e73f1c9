import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DemoSite, startDemoSite } from "@comptoir/cli/demo";
import { JsonApi } from "@comptoir/simulators";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { go, signIn } from "./support/dashboard-page.js";

// The dashboard as people read it, against the simulated site of `npm start`
// (a real gateway, nodes moving goods, a counter selling, accounting
// invoicing): the credit page's itemised exposure, the movements as events in
// a warehouse's words, and every page at a phone's, a small screen's and a
// laptop's width without anything wider than the window.

let site: DemoSite | undefined;
let root: string | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

interface MovementEvent {
  chain: string;
  kind: string;
  from: string | null;
  count: number;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "comptoir-dashboard-layout-"));
  site = await startDemoSite({ root, httpPort: 0, seed: 11 });
  const api = new JsonApi(`${site.gateway.url}/api/v1`, site.adminToken);
  // Until the site has done a bit of everything: put away on a shelf, sold at a counter, owed by a customer.
  await vi.waitFor(
    async () => {
      const { events } = await api.get<{ events: MovementEvent[] }>("/movements/events?limit=200");
      expect(events.some((e) => e.kind === "putaway" && e.from === null)).toBe(true);
      expect(events.some((e) => e.kind === "sale")).toBe(true);
      expect(events.some((e) => e.count > 1)).toBe(true);
      const { invoices } = await api.get<{ invoices: unknown[] }>("/invoices?direction=customer");
      expect(invoices.length).toBeGreaterThan(0);
    },
    { timeout: 150_000, interval: 1000 },
  );
  browser = await launchChromium({ locale: "en-US", timezoneId: "UTC" });
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
  const page = await (browser as NonNullable<typeof browser>).context.newPage();
  await page.setViewportSize(viewport);
  await page.goto((site as DemoSite).dashboardUrl);
  await signIn(page, (site as DemoSite).adminToken);
  return page;
}

/**
 * What sticks out of the window to the right: the document wider than the
 * window, or a visible element whose right edge is past it, unless it is
 * inside a container that scrolls sideways (a table in its card).
 */
const OVERFLOWING = `(() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width)
    found.push("document " + document.documentElement.scrollWidth + " px wide");
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 0.5) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || scrolls(el)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : "");
    found.push(name + " ends at " + Math.round(box.right) + " px");
  }
  return found.slice(0, 10);
})()`;

describe("the dashboard, read as a user would", () => {
  it("shows no feed state before anyone signs in, then the token's name as who is signed in", async () => {
    const page = await (browser as NonNullable<typeof browser>).context.newPage();
    await page.goto((site as DemoSite).dashboardUrl);
    await page.waitForSelector("body[data-ready=signin]");
    // Nobody signed in: no red "offline" badge.
    expect(await page.locator("#live").isVisible()).toBe(false);
    await signIn(page, (site as DemoSite).adminToken);
    expect(await page.locator("#live").isVisible()).toBe(true);
    expect(await page.textContent("#live")).toBe("live");
    // The demo's first token, called "first admin": its name, the role on hover.
    expect(await page.textContent("#who")).toBe("first admin");
    expect(await page.getAttribute("#who", "title")).toBe("role: admin");
    // Counts read as words: "1 stock gap", "3 stock gaps".
    await go(page, "discrepancies");
    for (const pill of await page.locator(".pill[data-kind]").allTextContents()) {
      const [, n, words] = /^(\d+)\s*(.*)$/.exec(pill.trim()) ?? [];
      if (n !== "1") expect(words, pill).not.toMatch(/(gap|tag|product)$/);
    }
    await page.close();
  });

  it("opens a customer's itemised exposure in a row below, keeping every column of the table", async () => {
    const page = await signedIn({ width: 1366, height: 768 });
    await go(page, "credit");
    const row = page.locator("tr[data-customer]", { has: page.locator("button.itemise") }).first();
    await row.waitFor();
    const customer = await row.getAttribute("data-customer");
    const header = await page
      .locator("section", { hasText: "Customers by exposure" })
      .locator("thead th")
      .allTextContents();
    expect(header).toEqual([
      "Customer",
      "Exposure",
      "Limit",
      "Available",
      "Overdue",
      "Used",
      "Status",
    ]);
    await row.locator("button.itemise").click();
    const itemised = page.locator(`tr[data-itemised="${customer}"]`);
    await itemised.waitFor();
    // The customer's row keeps its seven cells, each visible; the itemised row spans them all.
    const cells = row.locator(":scope > td");
    expect(await cells.count()).toBe(7);
    for (let i = 0; i < 7; i++) expect(await cells.nth(i).isVisible()).toBe(true);
    expect(await itemised.locator(":scope > td").getAttribute("colspan")).toBe("7");
    // Its documents are listed whole, each with its amount.
    const text = (await itemised.textContent()) ?? "";
    expect(text).toContain("open invoices");
    expect(text).not.toMatch(/· in$/);
    const documents = await itemised.locator("ul.documents li").allTextContents();
    for (const line of documents) expect(line).toMatch(/^\S+ \S+ .*\d/);
    expect(await row.locator("button.itemise").getAttribute("aria-expanded")).toBe("true");
    // The aged balance: not yet due is neutral, the heat rises bucket by bucket.
    expect(
      await page
        .locator('svg[aria-label="aged balance"] rect')
        .evaluateAll((bars) => bars.map((bar) => bar.getAttribute("class"))),
    ).toEqual([
      "bar current",
      "bar age-1",
      "bar age-2",
      "bar age-3",
      "bar age-4",
      "bar age-5",
      "bar unapplied",
    ]);
    await page.close();
  });

  it("shows movements as events: one row per pallet or basket, its EPCs on demand, in a warehouse's words", async () => {
    const page = await signedIn({ width: 1366, height: 768 });
    await go(page, "movements");
    await page.waitForSelector("tr.event");
    const headers = await page.locator("thead th").allTextContents();
    expect(headers).toEqual(["When", "Kind", "Product", "Items", "Where", "Node", "Order"]);
    const where = await page.locator("tr.event td.route").allTextContents();
    expect(where.some((text) => text === "sold at the counter")).toBe(true);
    expect(where.some((text) => /^dock → bay-\d+$/.test(text))).toBe(true);
    expect(where.filter((text) => text.includes("off site"))).toEqual([]);
    // A row per event: a pallet of several items is one row, whose count opens its EPCs.
    const many = page.locator("tr.event:not([data-count='1'])").first();
    const count = Number(await many.getAttribute("data-count"));
    expect(count).toBeGreaterThan(1);
    const product = (await many.locator("td.product b").textContent()) ?? "";
    expect(product).not.toMatch(/^[A-Z0-9-]+$/);
    await many.click();
    const epcs = page.locator("tr.epcs code");
    await epcs.first().waitFor();
    expect(await epcs.count()).toBe(count);
    expect(new Set(await epcs.allTextContents()).size).toBe(count);
    // An EPC opens the item it names.
    const first = (await epcs.first().textContent()) ?? "";
    await epcs.first().click();
    await page.waitForSelector(`#item:not([hidden]) h2:has-text("${first}")`);
    await page.close();
  });

  it.each([
    { width: 390, height: 844 },
    { width: 800, height: 480 },
    { width: 1366, height: 768 },
  ])("at $width×$height, no page has anything past the window's right edge", async (viewport) => {
    const page = await signedIn(viewport);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    // Every page the navigation offers (an administrator sees them all).
    const ids = await page
      .locator("#nav a[data-page]")
      .evaluateAll((links) => links.map((link) => link.getAttribute("data-page") ?? ""));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      await go(page, id);
      // Each page's parts load on their own: wait until none says "loading…".
      await expect
        .poll(() => page.locator("#page .empty", { hasText: /^loading…$/ }).count())
        .toBe(0);
      // The opened parts too: a customer's itemised exposure, an event's EPCs.
      if (id === "credit") await page.locator("button.itemise").first().click();
      if (id === "movements") await page.locator("tr.event").first().click();
      const found = (await page.evaluate(OVERFLOWING)) as string[];
      expect(found, `${id} at ${viewport.width}×${viewport.height}`).toEqual([]);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

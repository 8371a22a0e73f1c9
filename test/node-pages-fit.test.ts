import type { NodeAlert } from "@comptoir/contracts";
import { FakeNodeApi } from "@comptoir/device/http/testing";
import {
  A,
  B,
  C,
  CLERK,
  cleanupsAfterEach,
  poll,
  setupCounter,
} from "@comptoir/device/node/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { nodePages, screenshot } from "./support/node-page.js";

// Issue 17: every page a node serves fits the screens it is read on (a phone,
// the counter's 800×480 and 1024×600 screens, a laptop): nothing reaches
// past the viewport's right edge, except inside a container that scrolls
// sideways (a wide table in its own scroller).

const SIZES = [
  { width: 390, height: 844 },
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1366, height: 768 },
];

/** What reaches past the right edge: the page's own width, and each visible element outside a sideways scroller. */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > width) found.push("page " + root.scrollWidth + " > " + width);
  const scroller = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    if (box.right > width + 0.5 && !scroller(element)) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
        (element.className && typeof element.className === "string" ? "." + element.className.split(" ").join(".") : "");
      found.push(name + " right " + Math.round(box.right) + " > " + width);
    }
  }
  return found;
})()`;

async function overflowAtEverySize(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.evaluate("new Promise((done) => requestAnimationFrame(() => done(null)))");
    const here = (await page.evaluate(OVERFLOW)) as string[];
    for (const line of here) found.push(`${name} at ${size.width}×${size.height}: ${line}`);
    await screenshot(page, `fit-${name}-${size.width}x${size.height}`);
  }
  return found;
}

const D = "3034257BF7194E4000000004";
const LONG_ORDER = "SO-2026-000104218-REPLACEMENT";
// A SKU as an ERP may name one: long, and no place to break a line in it.
const LONG_SKU = "TABLE_CHENE_MASSIF_180X90_NATUREL_HUILE";
const ALERT: NodeAlert = {
  kind: "hold-breach",
  message: `goods left under credit hold: ${LONG_ORDER} (Menuiserie Générale du Grand Lyon) — over the credit limit by 1 250.00`,
  order: LONG_ORDER,
  customer: "menuiserie-generale-du-grand-lyon",
  customerName: "Menuiserie Générale du Grand Lyon",
  state: "held",
  reasons: [{ code: "over-limit", message: "over the credit limit by 1 250.00" }],
  offline: true,
  at: "2026-12-07T09:00:00.000Z",
  seq: 7,
};

/** A node with something in every list: reads, movements (a ship with its order), stock, unknown tags, an alert. */
async function busyNode(role: "portal" | "shelf" | "station"): Promise<FakeNodeApi> {
  const api = new FakeNodeApi({
    nodeId: `${role}-entrepot-nord-1`,
    role,
    zones: ["dock-receiving-north", "bay-12-upper-shelf"],
  });
  await api.emitMovement({ epc: A, sku: LONG_SKU, to: "dock-receiving-north" });
  await api.emitMovement({ epc: B, to: "bay-12-upper-shelf" });
  await api.emitMovement({ epc: D, sku: LONG_SKU, to: "bay-12-upper-shelf" });
  await api.emitMovement({
    epc: A,
    sku: LONG_SKU,
    kind: "ship",
    from: "dock-receiving-north",
    to: null,
    order: LONG_ORDER,
    customer: "menuiserie-generale-du-grand-lyon",
  });
  for (let n = 0; n < 3; n++) api.emitRead(C, { antenna: 2, reader: "portal-north-impinj-r700" });
  api.raiseAlert(ALERT);
  return api;
}

const open = nodePages({ refused: [401, 422] });
const cleanups = cleanupsAfterEach();
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

beforeAll(async () => {
  browser = await launchChromium({ hasTouch: true });
});
afterAll(async () => {
  await browser?.close();
});

describe("every node page at a phone's, the counter's and a laptop's width", () => {
  it("the warehouse page of a portal and of a shelf, and the station page, reach past no edge", async () => {
    const found: string[] = [];
    for (const role of ["portal", "shelf"] as const) {
      const { page } = await open(await busyNode(role), "/warehouse");
      // The raw reads too, where the page keeps them behind "diagnostics".
      const diagnostics = page.locator("#diagnostics summary");
      if ((await diagnostics.count()) > 0) await diagnostics.click();
      found.push(...(await overflowAtEverySize(page, `warehouse-${role}`)));
    }
    const station = await busyNode("station");
    const { page } = await open(station, "/station");
    for (const epc of [A, B, C]) {
      await page.locator("#scan").fill(epc);
      await page.locator("#scan").press("Enter");
      await page.locator(`#items > li[data-epc="${epc}"]`).waitFor();
    }
    found.push(...(await overflowAtEverySize(page, "station")));
    expect(found).toEqual([]);
  });

  it("the POS, with a customer, a basket and a verdict, reaches past no edge", async () => {
    const { counter } = await setupCounter(cleanups);
    for (const epc of [A, B, C]) await counter.node.runtime.commission({ epc, sku: "TABLE" });
    const context = browser?.context;
    if (!context) throw new Error("no browser");
    const page = await context.newPage();
    cleanups.push(() => page.close());
    await page.setViewportSize({ width: 800, height: 480 });
    await page.goto(`${counter.url}/pos`);
    await page.locator("#token-input").fill(counter.token);
    await page.locator("#token-save").click();
    await page.waitForSelector("body[data-ready=true]");
    await page.locator("#sign-in").click();
    await page.locator(`#clerks button[data-clerk="${CLERK.id}"]`).click();
    await page.locator("#signin-pin").fill(CLERK.pin);
    await page.locator("#signin-ok").click();
    await poll(() => page.locator("#clerk-name").textContent()).toBe(CLERK.name);
    await page.locator('#customers button[data-customer="acme"]').click();
    for (const epc of [A, B, C]) counter.putOnCounter(epc);
    await poll(() => page.locator("#lines li").count()).toBe(1);

    const found = await overflowAtEverySize(page, "pos-basket");
    await page.locator("#sell-account").click();
    await page.locator("#answer").waitFor();
    found.push(...(await overflowAtEverySize(page, "pos-verdict")));
    expect(found).toEqual([]);
  });
});

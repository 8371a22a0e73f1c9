import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainIdentity,
  generateIdentity,
  type LedgerEntry,
  type MovementData,
} from "@comptoir/contracts";
import { chainSealer, signedBatch } from "@comptoir/contracts/testing";
import {
  Catalog,
  CreditService,
  EventHub,
  GatewayLedger,
  type GatewayServer,
  Ingest,
  IngestEvents,
  Store,
  serveGateway,
  TokenStore,
} from "@comptoir/gateway";
import { sgtin96 } from "@comptoir/simulators";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { go, signIn } from "./support/dashboard-page.js";

// One product identity on the dashboard, in a real headless Chromium against a
// real gateway: items of SGTIN tags (never commissioned) show under the product
// the catalog gives their GTIN, with its SKU, name and value; items of a GTIN no
// product has are an "unknown product" with that GTIN, one row per GTIN, unpriced;
// tags with neither are "unknown tags". Batches go through verified ingest and
// the gateway's own live events (IngestEvents), as MQTT ingest sends them.

const SCREENSHOTS = process.env.COMPTOIR_SCREENSHOTS;
const SYSTEM = { kind: "system", id: "test" } as const;

const BOLT = "03761234500017";
/** The bolts' box of ten: another GTIN of the same product. */
const BOLT_BOX = "13761234500014";
const WASHER = "03761234500031";
/** GTINs no product of the catalog has. */
const STRANGER = "03769999900012";
const OTHER_STRANGER = "03769999900029";
/** A tag that is not an SGTIN, never commissioned. */
const BLANK = "E2801160600002054D3B7F11";

let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  browser = await launchChromium({ locale: "en-US", timezoneId: "UTC" });
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway whose catalog gives GTINs to two products, with two enrolled nodes. */
async function site() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-dashboard-identity-"));
  const store = new Store(join(dir, "gateway.db"));
  const ledger = new GatewayLedger(store, generateIdentity());
  const tokens = new TokenStore(store.db, ledger);
  const catalog = new Catalog(store.db, ledger);
  const events = new EventHub();
  const credit = new CreditService({ store, ledger, catalog, events });
  const admin = tokens.create("admin", "admin screen", SYSTEM).token;
  for (const [sku, name, gtin, gtins, price, cost] of [
    ["BOLT-M8", "Hex bolt M8", BOLT, [BOLT_BOX], 120, 40],
    ["WASHER-8", "Washer 8 mm", WASHER, [], 15, 4],
  ] as const) {
    catalog.saveProduct(
      {
        sku,
        gtin,
        gtins: [...gtins],
        name,
        unitPrice: { amount: price, currency: "EUR" },
        unitCost: { amount: cost, currency: "EUR" },
      },
      SYSTEM,
      "create",
    );
  }
  const ingest = new Ingest(store);
  const live = new IngestEvents(store, events);
  const sealers = new Map<string, ReturnType<typeof chainSealer>>();
  const identities = new Map<string, ChainIdentity>();
  for (const node of ["dock-1", "shelf-1"]) {
    const identity = generateIdentity();
    identities.set(node, identity);
    store.enrollNode(node, identity.publicKeyHex);
    sealers.set(node, chainSealer(node));
  }
  /** One movement per item, in one batch, stored and published as the gateway does. */
  const sync = (
    node: string,
    items: { epc: string; gtin?: string }[],
    from: string | null,
    to: string | null,
  ) => {
    const entries: LedgerEntry[] = [];
    for (const item of items) {
      const at = new Date().toISOString();
      const data: MovementData = {
        epc: item.epc,
        // An SGTIN's product is the catalog's business: nodes write no SKU for it.
        sku: null,
        ...(item.gtin ? { gtin: item.gtin } : {}),
        kind: from === null ? "receive" : to === null ? "ship" : "putaway",
        from,
        to,
        reader: "r1",
        antennas: [1],
        reads: 3,
        at,
      };
      entries.push(
        (sealers.get(node) as ReturnType<typeof chainSealer>).seal("movement", data, at),
      );
    }
    const outcome = ingest.handleBatch(
      node,
      signedBatch(identities.get(node) as ChainIdentity, node, entries),
    );
    expect(outcome).toMatchObject({ kind: "ack" });
    live.outcome(node, outcome);
  };
  const server: GatewayServer = await serveGateway(
    {
      store,
      ledger,
      tokens,
      catalog,
      credit,
      events,
      brokerState: () => ({ state: "up" }),
      nodeStatus: () => undefined,
    },
    { host: "127.0.0.1", port: 0 },
  );
  cleanups.push(async () => {
    await server.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { server, admin, sync };
}

const item = (gtin: string, serial: number) => ({ epc: sgtin96(gtin, serial), gtin });

async function open(page: Page, url: string, token: string) {
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(url);
  await signIn(page, token);
}

async function screenshot(page: Page, name: string) {
  if (SCREENSHOTS) {
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
  }
}

describe("the dashboard shows items by product", () => {
  it("shows SGTIN items under their product's SKU, and a GTIN no product has as an unknown product, on every page", async () => {
    const s = await site();
    // Four bolts (one from the box of ten's GTIN), two washers, two items of a GTIN
    // no product has and a tag that is neither: all received at the dock.
    const bolts = [item(BOLT, 1), item(BOLT, 2), item(BOLT, 3), item(BOLT_BOX, 4)];
    const strangers = [item(STRANGER, 1), item(STRANGER, 2)];
    s.sync(
      "dock-1",
      [...bolts, item(WASHER, 1), item(WASHER, 2), ...strangers, { epc: BLANK }],
      null,
      "dock",
    );
    s.sync("shelf-1", bolts.slice(0, 2), "dock", "shelf-a");

    const page = await context.newPage();
    cleanups.push(() => page.close());
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    await open(page, s.server.url, s.admin);

    // Overview: value at cost of the products' items only (4 × 0.40 + 2 × 0.04);
    // the unknown product's and the unknown tag's items are counted apart, unpriced.
    await expect.poll(() => page.textContent("#stock-value .figure")).toBe("€1.68");
    expect(await page.textContent("#stock-units")).toBe("9 items");
    expect(await page.textContent("#stock-unpriced")).toBe(
      "3 items unpriced: 2 of unknown products, 1 unknown tag",
    );

    // A second unknown GTIN arrives in the same zone while the page is open (live).
    s.sync("dock-1", [item(OTHER_STRANGER, 1)], null, "dock");
    await expect
      .poll(() => page.textContent("#stock-unpriced"))
      .toBe("4 items unpriced: 3 of unknown products, 1 unknown tag");
    expect(await page.textContent("#stock-value .figure")).toBe("€1.68");
    await screenshot(page, "overview-identity");

    // Stock: one row per product and zone, by SKU and name, with count and value.
    await go(page, "stock");
    const rows = () =>
      page
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll("td")].map((td) => td.textContent?.replace(/\s+/g, " ").trim()),
          ),
        );
    await expect.poll(rows).toEqual([
      ["BOLT-M8", "Hex bolt M8", "dock", "2", "€0.80"],
      ["BOLT-M8", "Hex bolt M8", "shelf-a", "2", "€0.80"],
      ["WASHER-8", "Washer 8 mm", "dock", "2", "€0.08"],
      [`unknown product GTIN ${STRANGER}`, "dock", "2", "unpriced"],
      [`unknown product GTIN ${OTHER_STRANGER}`, "dock", "1", "unpriced"],
      ["unknown tag", "dock", "1", "unpriced"],
    ]);
    // No GTIN is ever a SKU.
    expect(
      await page.locator("tr[data-sku]").evaluateAll((trs) => trs.map((tr) => tr.dataset.sku)),
    ).toEqual(["BOLT-M8", "BOLT-M8", "WASHER-8", "", "", ""]);
    expect(await page.textContent("#stock-summary")).toBe(
      "now · 2 SKUs · 10 items · value €1.68 at cost, €5.10 at price · 4 items unpriced: 3 of unknown products, 1 unknown tag",
    );
    // A product is found by any of its GTINs.
    await page.fill("input[aria-label=search]", BOLT_BOX);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
    await page.fill("input[aria-label=search]", "");

    // The unknown product's items are its own, not the other unknown GTIN's.
    await page.click(`tr[data-gtin="${STRANGER}"]`);
    await expect
      .poll(() => page.locator("#items [data-epc]").allTextContents())
      .toEqual(expect.arrayContaining(strangers.map((i) => i.epc)));
    expect(await page.locator("#items [data-epc]").count()).toBe(2);
    expect(await page.textContent("#items h2")).toContain(`unknown product — GTIN ${STRANGER}`);
    // And a bolt of the box's GTIN: its place names the product, its GTIN beside.
    await page.click('tr[data-sku="BOLT-M8"][data-zone="dock"]');
    await page.locator(`#items [data-epc="${bolts[3]?.epc}"]`).click();
    await expect
      .poll(() => page.textContent("#item .item-place"))
      .toBe("Hex bolt M8 (BOLT-M8) · dock");
    expect(await page.textContent("#item .item-product")).toBe(`GTIN ${BOLT_BOX}`);
    await screenshot(page, "stock-identity");
    await page.click("#items button.close");
    await page.click("#item button.close");
    await screenshot(page, "stock-identity-list");

    // Movements: the product of an SGTIN item by name and SKU; an unknown product with its GTIN.
    await go(page, "movements");
    const putaway = page.locator(`tr[data-epcs~="${bolts[0]?.epc}"][data-kind=putaway]`);
    await putaway.waitFor();
    expect(await putaway.locator("td.product").textContent()).toBe("Hex bolt M8BOLT-M8");
    expect(await putaway.getAttribute("data-gtin")).toBe(BOLT);
    const stranger = page.locator(`tr[data-epcs~="${strangers[0]?.epc}"]`);
    expect(await stranger.locator("td.product").textContent()).toBe(
      `unknown product GTIN ${STRANGER}`,
    );
    expect(await page.locator(`tr[data-epcs~="${BLANK}"] td.product`).textContent()).toBe(
      "unknown tag",
    );
    await screenshot(page, "movements-all-identity");
    // Filtered by a GTIN: the items of that GTIN.
    await page.fill("input[aria-label=SKU]", STRANGER);
    await page.click("form.filters button[type=submit]");
    await expect
      .poll(() =>
        page
          .locator("tbody tr.event")
          .evaluateAll((trs) => trs.flatMap((tr) => (tr.dataset.epcs ?? "").split(" ")).sort()),
      )
      .toEqual(strangers.map((i) => i.epc).sort());
    await screenshot(page, "movements-identity");

    // Discrepancies: one unknown_product per GTIN, said as such, with its items.
    await go(page, "discrepancies");
    const unknown = page.locator("tr[data-kind=unknown_product]");
    await expect.poll(() => unknown.count()).toBe(2);
    const first = unknown.filter({ hasText: STRANGER });
    expect(await first.locator("td").first().textContent()).toBe("unknown product");
    expect(await first.locator("td.subject").textContent()).toBe(`GTIN ${STRANGER} · 2 in dock`);
    expect(await first.locator("td.num").first().textContent()).toBe("2 items");
    expect(await page.textContent("tr[data-kind=unknown_tag] td.subject")).toBe(`EPC ${BLANK}`);
    // The kinds are the gateway's: each offered, with how many.
    const kinds = await page.locator("select[aria-label=kind] option").allTextContents();
    expect(kinds).toContain("unknown product (2)");
    expect(kinds).toContain("invoiced, not received (0)");
    expect(kinds.join()).not.toMatch(/mismatch/);
    await screenshot(page, "discrepancies-all-identity");
    await page.selectOption("select[aria-label=kind]", "unknown_product");
    expect(await page.textContent("#kind-help")).toContain(
      "items whose GTIN no product of the catalog has",
    );
    expect(await page.locator("tbody tr").count()).toBe(2);
    await screenshot(page, "discrepancies-identity");
    expect(problems).toEqual([]);
  });
});

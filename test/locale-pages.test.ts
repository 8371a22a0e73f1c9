import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, siteTopics } from "@comptoir/contracts";
import { poll, SITE, setupCounter } from "@comptoir/device/node/testing";
import {
  Catalog,
  CreditService,
  GatewayLedger,
  Store,
  serveGateway,
  TokenStore,
} from "@comptoir/gateway";
import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.js";
import { go, signIn } from "./support/dashboard-page.js";

// A French site (gateway.locale fr-FR, EUR): the dashboard and the POS write money
// as Intl writes it in fr-FR — "1 487,00 €", its spaces narrow no-break ones — in a
// browser whose own locale is en-US, so the page's locale cannot come from the browser.

const SYSTEM = { kind: "system", id: "test" } as const;
const fr = (minor: number) =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(minor / 100);

let context: BrowserContext;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchChromium({ locale: "en-US", timezoneId: "UTC" });
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("money in the site's locale", () => {
  it("the dashboard writes a French site's credit limit 1 487,00 €", async () => {
    expect(fr(148_700).replace(/[\u00a0\u202f]/g, " ")).toBe("1 487,00 €");
    const dir = await mkdtemp(join(tmpdir(), "comptoir-locale-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const store = new Store(join(dir, "gateway.db"));
    cleanups.push(async () => store.close());
    const ledger = new GatewayLedger(store, generateIdentity());
    const tokens = new TokenStore(store.db, ledger);
    const catalog = new Catalog(store.db, ledger);
    const credit = new CreditService({ store, ledger, catalog, locale: "fr-FR" });
    catalog.saveCustomer(
      {
        id: "acme",
        name: "ACME Hardware",
        creditLimit: { amount: 148_700, currency: "EUR" },
        paymentTermsDays: 30,
      },
      SYSTEM,
      "create",
    );
    const server = await serveGateway(
      {
        store,
        ledger,
        tokens,
        catalog,
        credit,
        brokerState: () => ({ state: "up" }),
        site: { locale: "fr-FR", currency: "EUR" },
      },
      { host: "127.0.0.1", port: 0 },
    );
    cleanups.push(() => server.close());
    const page = await context.newPage();
    cleanups.push(() => page.close());
    await page.goto(server.url);
    await signIn(page, tokens.create("admin", "admin screen", SYSTEM).token);
    await go(page, "credit");
    await poll(() => page.locator("#page").textContent()).toContain(fr(148_700));
    expect(await page.locator("#page").textContent()).not.toContain("€1,487.00");
  });

  it("the POS writes the French gateway's figures: limit 5 000,00 €", async () => {
    const { counter, gateway } = await setupCounter(cleanups);
    await gateway.client.publishAsync(
      siteTopics(SITE).locale(),
      JSON.stringify({ locale: "fr-FR", currency: "EUR" }),
      { qos: 1, retain: true },
    );
    await poll(async () => (await counter.call("GET", "/node")).body.format.locale).toBe("fr-FR");
    const page = await context.newPage();
    cleanups.push(() => page.close());
    await page.goto(`${counter.url}/pos`);
    await page.locator("#token-input").fill(counter.token);
    await page.locator("#token-save").click();
    await page.waitForSelector("body[data-ready=true]");
    await page.locator('#customers button[data-customer="acme"]').click();
    await poll(() => page.locator("#f-limit").textContent()).toBe(fr(500_000));
    expect(await page.locator("#f-exposure").textContent()).toBe(fr(420_000));
    expect(await page.locator("#f-available").textContent()).toBe(fr(80_000));
  });
});

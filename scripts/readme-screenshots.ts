/**
 * The README's screenshots, taken from the demo: starts the simulated site
 * (gateway, broker, nodes, simulated readers and staff) on free ports in a
 * temporary directory, waits until it has stock on the shelves, movements,
 * a customer invoice and a credit decision, then photographs the
 * dashboard's overview, credit and movements pages at 1366×768 and the POS
 * of the person's counter at its screen size (1024×600), clerk Léa signed
 * in, goods on the counter and a customer chosen. Writes
 * docs/screenshots/demo-{overview,credit,movements,pos}.png, then stops
 * everything and removes the directory.
 *
 * usage: npx tsx scripts/readme-screenshots.ts [--seed N] [--run SECONDS] [--wait SECONDS] [--out DIR] [--verbose]
 *   --run   let the site run at least this long before the pictures (default 180)
 *   --wait  give up when the site has not produced what the pages show by then (default 300)
 * Chromium: /usr/bin/chromium (Debian's package), or set CHROMIUM_PATH.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  DEMO_CLERK,
  type DemoSite,
  demoPaths,
  demoTerminalToken,
  PERSON_COUNTER,
  startDemoSite,
} from "@comptoir/cli/demo";
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, JsonApi } from "@comptoir/simulators";
import { type Browser, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DASHBOARD = { width: 1366, height: 768 };
const POS_SCREEN = { width: 1024, height: 600 };
/** The customer chosen at the till: the demo's first with a credit limit. */
const CUSTOMER = DEMO_CUSTOMERS.find((c) => c.creditLimit !== 0 && c.creditLimit !== "unlimited");

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "5" },
    wait: { type: "string", default: "300" },
    run: { type: "string", default: "180" },
    out: { type: "string", default: join(import.meta.dirname, "..", "docs", "screenshots") },
    verbose: { type: "boolean", default: false },
  },
});
const OUT = values.out;
const started = Date.now();
const deadline = started + Number(values.wait) * 1000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Polls `check` until it returns true; fails naming `what` once `--wait` is over. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  say(`waiting for ${what}…`);
  for (;;) {
    const done = await check().catch(() => false);
    if (done) return;
    if (Date.now() > deadline) {
      throw new Error(`the demo had no ${what} within ${values.wait} s (raise --wait)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Until the site has what the pages show: stock on a shelf, movements, an invoice, a credit decision. */
async function waitForActivity(site: DemoSite): Promise<void> {
  const api = new JsonApi(`${site.gateway.url}/api/v1`, site.adminToken);
  await until("stock on a shelf", async () => {
    const { rows } = await api.get<{ rows: { zone: string; count: number }[] }>("/stock");
    return rows.some((row) => row.zone.startsWith("bay-") && row.count > 0);
  });
  await until("a counter sale", async () => {
    const { movements } = await api.get<{ movements: { kind: string }[] }>("/movements?limit=1000");
    return movements.some((m) => m.kind === "sale");
  });
  await until("a customer invoice", async () => {
    const { invoices } = await api.get<{ invoices: unknown[] }>("/invoices?direction=customer");
    return invoices.length > 0;
  });
  await until("a credit decision", async () => {
    const { decisions } = await api.get<{ decisions: unknown[] }>("/credit/decisions");
    return decisions.length > 0;
  });
  // A few minutes of history, so that the charts and lists have more than one bar or row.
  const left = started + Number(values.run) * 1000 - Date.now();
  if (left > 0) {
    say(`letting the site run ${Math.ceil(left / 1000)} s more…`);
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

async function shootDashboard(browser: Browser, site: DemoSite): Promise<void> {
  const page = await browser.newPage({ viewport: DASHBOARD });
  await page.goto(site.dashboardUrl);
  await page.waitForSelector("body[data-ready=signin]");
  await page.fill("#token", site.adminToken);
  await page.click("#sign-in button[type=submit]");
  await page.waitForSelector("body[data-ready=true]");
  for (const name of ["overview", "credit", "movements"]) {
    await page.goto(`${site.dashboardUrl}#/${name}`);
    // The page draws from the REST answers, then the live feed: let both land.
    await page.waitForLoadState("networkidle").catch(() => {});
    await page.waitForTimeout(2000);
    await shoot(page, name);
  }
  await page.close();
}

/** The person's till (nothing simulated touches it): goods on the counter, Léa signed in, a customer chosen. */
async function shootPos(browser: Browser, site: DemoSite, root: string): Promise<void> {
  const node = site.nodes.get(PERSON_COUNTER);
  if (!node) throw new Error(`the demo has no ${PERSON_COUNTER}`);
  const token = demoTerminalToken(demoPaths(root).nodeData(PERSON_COUNTER));
  const till = new JsonApi(`${node.url}/api/v1`, token);
  for (const product of DEMO_PRODUCTS.slice(0, 3)) {
    await until(`${product.name} in the counter's catalog`, async () => {
      await till.post("/pos/basket/add", { gtin: product.gtin, quantity: 1 });
      return true;
    });
  }
  const page = await browser.newPage({ viewport: POS_SCREEN, hasTouch: true });
  // The demo's counters are in kiosk mode: a browser on this machine needs no terminal token.
  await page.goto(site.posUrl);
  await page.waitForSelector("body[data-ready=true]");
  await page.locator("#sign-in").tap();
  await page.locator(`#clerks button[data-clerk="${DEMO_CLERK.id}"]`).tap();
  await page.locator("#signin-pin").fill(DEMO_CLERK.pin);
  await page.locator("#signin-ok").tap();
  await page.locator("#clerk-name", { hasText: DEMO_CLERK.name }).waitFor();
  await page.locator(`#customers button[data-customer="${CUSTOMER?.id}"]`).tap();
  await page.waitForSelector("#figures:not([hidden])");
  await page.locator("#lines li").nth(2).waitFor();
  await page.waitForTimeout(1000);
  await shoot(page, "pos");
  await page.close();
}

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(OUT, `demo-${name}.png`);
  await page.screenshot({ path });
  say(`wrote ${path}`);
}

if (!existsSync(CHROMIUM)) {
  throw new Error(`no Chromium at ${CHROMIUM}: install the chromium package or set CHROMIUM_PATH`);
}
await mkdir(OUT, { recursive: true });
const root = await mkdtemp(join(tmpdir(), "comptoir-screenshots-"));
let site: DemoSite | undefined;
let browser: Browser | undefined;
try {
  site = await startDemoSite({
    root,
    httpPort: 0,
    seed: Number(values.seed),
    say: values.verbose ? say : () => {},
  });
  say(`demo running: ${site.dashboardUrl}`);
  await waitForActivity(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  await shootDashboard(browser, site);
  await shootPos(browser, site, root);
} finally {
  await browser?.close();
  await site?.stop();
  await rm(root, { recursive: true, force: true });
}

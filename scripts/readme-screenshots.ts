/**
 * Screenshots of the demo for the README: runs the simulated site for a
 * while in a temporary directory, then photographs the dashboard's pages
 * and the POS page in headless Chromium. `npx tsx scripts/readme-screenshots.ts [SECONDS]`.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoSite } from "@comptoir/cli/demo";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const seconds = Number(process.argv[2] ?? 150);
const out = join(import.meta.dirname, "..", "docs", "screenshots");

if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: set CHROMIUM_PATH`);
await mkdir(out, { recursive: true });
const root = await mkdtemp(join(tmpdir(), "comptoir-screenshots-"));
const site = await startDemoSite({ root, httpPort: 0, seed: 5, say: (line) => console.log(line) });
const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(site.dashboardUrl);
  await page.waitForSelector("body[data-ready=signin]");
  await page.fill("#token", site.adminToken);
  await page.click("#sign-in button[type=submit]");
  await page.waitForSelector("body[data-ready=true]");
  for (const name of ["overview", "stock", "movements", "nodes", "discrepancies", "credit"]) {
    await page.goto(`${site.dashboardUrl}#/${name}`);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(out, `demo-${name}.png`) });
  }
  const pos = await browser.newPage({ viewport: { width: 800, height: 480 }, hasTouch: true });
  await pos.goto(site.simulatedPosUrl);
  await pos.waitForTimeout(2500);
  await pos.screenshot({ path: join(out, "demo-pos.png") });
} finally {
  await browser.close();
  await site.stop();
  await rm(root, { recursive: true, force: true });
}
console.log(`screenshots in ${out}`);

import { readFileSync } from "node:fs";
import { invoiceFixturePath } from "../invoice-files/testing/fixtures.js";
import { cleanupAfterEach } from "./broker.js";
import { type ReconciliationSetup, reconciliationSetup } from "./gateway-app.js";

/** The text of a sample invoice file in gateway/src/invoice-files/fixtures. */
export const invoiceFixture = (name: string): string =>
  readFileSync(invoiceFixturePath(name), "utf8");

/** The text of a sample bank export in gateway/src/payment-files/fixtures. */
export const paymentFixture = (name: string): string =>
  readFileSync(new URL(`../payment-files/fixtures/${name}`, import.meta.url), "utf8");

/**
 * The site the file-import route tests start from: on 2026-03-20, the two
 * customers the sample invoices bill (acme, bistro).
 */
async function importSite(): Promise<ReconciliationSetup> {
  const s = await reconciliationSetup("2026-03-20T10:00:00.000Z");
  await s.customer("acme", "ACME Bâtiment SAS");
  await s.customer("bistro", "Le Bistro du Port");
  return s;
}

/**
 * Call at the top of a file-import test file: each call of the function it
 * returns is a fresh `importSite()`, closed after the test that made it.
 */
export function importSitePerTest(): () => Promise<ReconciliationSetup> {
  const defer = cleanupAfterEach();
  return async () => {
    const s = await importSite();
    defer(s.close);
    return s;
  };
}

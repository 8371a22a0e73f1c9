import { fileURLToPath } from "node:url";

/**
 * The path of a sample invoice file in gateway/src/invoice-files/fixtures
 * (`ubl-invoice.xml`, `cii-en16931.xml`…), for tests in other packages that
 * send it as a file: they ask for it here instead of knowing the folder.
 */
export function invoiceFixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

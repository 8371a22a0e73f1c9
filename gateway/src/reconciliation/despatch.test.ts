import { afterEach, describe, expect, it } from "vitest";
import {
  type ReconciliationSetup,
  reconciliationSetup,
  supplierInvoiceJson,
} from "../testing/gateway-app.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

/** A supplier invoice for `quantity` WID that names only the despatch advice (BT-16), or the order too. */
const supplierInvoice = (number: string, quantity: number, refs: Record<string, string>) =>
  supplierInvoiceJson(number, "martin", [["WID", quantity, 600]], {
    issueDate: "2026-03-04",
    ...refs,
  });

/** Goods received at the dock on 03-03 under `reference` (what the receiving dock set as the order). */
async function received(count: number, reference: string) {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.product("WID", 1200);
  const dock = s.node("dock-1");
  dock.move("receive", "WID", count, "2026-03-03T07:00:00.000Z", { order: reference });
  dock.sync();
}

async function importInvoices(invoices: unknown[]) {
  const res = await s.call("POST", "/invoices/import", { body: invoices });
  if (res.status !== 201) throw new Error(res.text);
}

const purchases = async (query = "") =>
  (await s.call("GET", `/reconciliation?side=purchases${query}`)).body.discrepancies.map(
    (d: {
      kind: string;
      order: string;
      observed: number;
      invoiced: number;
      invoices: string[];
    }) => [d.kind, d.order, d.observed, d.invoiced, d.invoices],
  );

describe("purchases: receipts matched by despatch advice (BT-16)", () => {
  it("a supplier invoice with only BT-16 matching the receipt's reference is no discrepancy", async () => {
    await received(3, "DA-7");
    expect(await purchases()).toEqual([["received_not_invoiced", "DA-7", 3, 0, []]]);
    await importInvoices([supplierInvoice("S-7", 3, { despatchRef: "DA-7" })]);
    expect(await purchases()).toEqual([]);
    expect(await purchases("&order=DA-7")).toEqual([]);
    expect(await purchases("&from=2026-03-01&to=2026-03-31")).toEqual([]);
  });

  it("with BT-13 and BT-16, a receipt under the despatch advice short of the invoice is invoiced_not_received", async () => {
    await received(2, "DA-7");
    await importInvoices([supplierInvoice("S-7", 3, { orderRef: "PO-1", despatchRef: "DA-7" })]);
    // 2 received, 3 billed: the missing unit is invoiced_not_received (no quantity_mismatch kind).
    const mismatch = [["invoiced_not_received", "DA-7", 2, 3, ["S-7"]]];
    expect(await purchases()).toEqual(mismatch);
    expect(await purchases("&order=DA-7")).toEqual(mismatch);
    // The period reaches the invoice through the reference the goods carry, though issued later.
    expect(await purchases("&from=2026-03-03&to=2026-03-03")).toEqual(mismatch);
  });

  it("a receipt under the order still matches by BT-13 when the invoice also names a despatch advice", async () => {
    await received(3, "PO-1");
    await importInvoices([supplierInvoice("S-7", 3, { orderRef: "PO-1", despatchRef: "DA-7" })]);
    expect(await purchases()).toEqual([]);
  });
});

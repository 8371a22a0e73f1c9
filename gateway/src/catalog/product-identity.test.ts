import { afterEach, describe, expect, it } from "vitest";
import { invoiceFixture as fixture } from "../testing/file-import.js";
import {
  type ReconciliationSetup,
  reconciliationSetup,
  supplierInvoiceJson,
} from "../testing/gateway-app.js";

/**
 * One product identity (business-rules.md, "Product identity"): an SGTIN
 * tag's product is the catalog product with its GTIN; an explicit
 * commissioning overrides it; a GTIN never stands in for a SKU.
 */

/** The GTIN of the nut on the CII fixture's first line (SO-1002, bistro, 20 billed at 2.50). */
const NUT_GTIN = "03760000000024";
const UNKNOWN_GTIN = "03760000000994";
const at = "2026-03-19T09:00:00.000Z";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

async function site() {
  s = await reconciliationSetup("2026-03-20T10:00:00.000Z");
  await s.customer("bistro", "Le Bistro du Port");
  await s.product("NUT-8", 300, NUT_GTIN);
  await s.product("WID-1", 1200);
  return s;
}

describe("product identity through the API", () => {
  it("tags of a GTIN shipped short of a CII invoice: one invoiced_not_shipped for the product, exposure right before and after", async () => {
    await site();
    const dock = s.node("dock-1");
    // 18 unregistered SGTIN tags of the nut leave for SO-1002: the node knows only their GTIN.
    dock.move("ship", null, 18, at, { order: "SO-1002", customer: "bistro", gtin: NUT_GTIN });
    dock.move("ship", "WID-1", 4, at, { order: "SO-1002", customer: "bistro" });
    dock.sync();

    // Before any invoice the goods count in the customer's exposure, at catalog price.
    const before = await s.call("GET", "/credit/bistro");
    expect(before.body.exposure.shippedNotInvoiced.amount).toBe(18 * 300 + 4 * 1200);

    const imported = await s.call("POST", "/invoices/import", {
      raw: fixture("cii-en16931.xml"),
      type: "application/xml",
    });
    expect(imported.status, imported.text).toBe(201);

    const report = await s.call("GET", "/reconciliation?order=SO-1002&graceDays=0");
    expect(report.status).toBe(200);
    const found = report.body.discrepancies.map(
      (d: { kind: string; sku: string | null; observed: number; invoiced: number }) => [
        d.kind,
        d.sku,
        d.observed,
        d.invoiced,
      ],
    );
    // 18 seen against 20 invoiced: 2 units missing, priced at the invoice's 2.50, the 18 reads as evidence.
    expect(found).toEqual([["invoiced_not_shipped", "NUT-8", 18, 20]]);
    expect(report.body.discrepancies[0]).toMatchObject({
      difference: -2,
      amount: 500,
      priceFrom: "invoice",
      gtin: NUT_GTIN,
    });
    expect(report.body.discrepancies[0].evidence).toHaveLength(18);

    // Billed in full now: nothing shipped is left uninvoiced.
    const after = await s.call("GET", "/credit/bistro");
    expect(after.body.exposure.shippedNotInvoiced.amount).toBe(0);
    expect(after.body.exposure.openInvoices.amount).toBe(10000);
  });

  it("a GTIN the catalog does not know is an unknown product until a product gets it; then past items count under it", async () => {
    await site();
    const dock = s.node("dock-1");
    dock.move("receive", null, 3, at, { gtin: UNKNOWN_GTIN });
    dock.move("receive", null, 2, at, { gtin: NUT_GTIN });
    dock.sync();

    const stock = await s.call("GET", "/stock");
    expect(stock.body.rows).toEqual([
      { sku: null, gtin: UNKNOWN_GTIN, zone: "dock", count: 3 },
      { sku: "NUT-8", zone: "dock", count: 2 },
    ]);
    const report = await s.call("GET", "/reconciliation?graceDays=0");
    const unknown = report.body.discrepancies.filter(
      (d: { kind: string }) => d.kind === "unknown_product",
    );
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ gtin: UNKNOWN_GTIN, observed: 3, zone: "dock=3" });
    expect(unknown[0].evidence).toHaveLength(3);
    // Never a stock gap under a GTIN.
    expect(
      report.body.discrepancies.filter(
        (d: { kind: string; sku: string | null }) => d.kind === "stock_gap" && d.sku === null,
      ),
    ).toEqual([]);

    // The GTIN is a new label of the nut: nothing is ingested again.
    const changed = await s.call("PUT", "/products/NUT-8", {
      body: {
        gtin: NUT_GTIN,
        gtins: [UNKNOWN_GTIN],
        name: "Nut M8",
        unitPrice: { amount: 300, currency: "EUR" },
        unitCost: { amount: 150, currency: "EUR" },
      },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.gtins).toEqual([UNKNOWN_GTIN]);
    expect((await s.call("GET", "/stock")).body.rows).toEqual([
      { sku: "NUT-8", zone: "dock", count: 5 },
    ]);
    const movements = await s.call("GET", "/movements?sku=NUT-8");
    expect(movements.body.movements).toHaveLength(5);
    const again = await s.call("GET", "/reconciliation?graceDays=0");
    expect(
      again.body.discrepancies.filter((d: { kind: string }) => d.kind === "unknown_product"),
    ).toEqual([]);
  });

  it("a SKU commissioned explicitly wins over the GTIN; a GTIN written as the SKU by an older node is no SKU", async () => {
    await site();
    const dock = s.node("dock-1");
    const [commissioned] = dock.move("receive", null, 1, at, { gtin: NUT_GTIN });
    dock.commission(commissioned as string, "WID-1", at);
    // What 0.5 nodes wrote for an unregistered SGTIN: its GTIN as the SKU.
    dock.move("receive", NUT_GTIN, 1, at, { gtin: NUT_GTIN });
    dock.sync();
    expect((await s.call("GET", "/stock")).body.rows).toEqual([
      { sku: "NUT-8", zone: "dock", count: 1 },
      { sku: "WID-1", zone: "dock", count: 1 },
    ]);
  });

  it("refuses a GTIN that belongs to another product, and one given twice, changing nothing", async () => {
    await site();
    const body = (gtins: string[]) => ({
      sku: "BOLT",
      gtin: null,
      gtins,
      name: "Bolt",
      unitPrice: { amount: 100, currency: "EUR" },
      unitCost: { amount: 50, currency: "EUR" },
    });
    const taken = await s.call("POST", "/products", { body: body([NUT_GTIN]) });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ path: "gtins.0" });
    expect(taken.body.error.message).toContain("NUT-8");
    const twice = await s.call("POST", "/products", { body: body([UNKNOWN_GTIN, UNKNOWN_GTIN]) });
    expect(twice.status).toBe(422);
    expect(twice.body.error).toMatchObject({ path: "gtins.1" });
    expect((await s.call("GET", "/products/BOLT")).status).toBe(404);
  });

  it("goods received within the grace period are no stock gap yet; past it, the missing invoice and the book's gap both show", async () => {
    await site();
    const dock = s.node("dock-1");
    dock.move("receive", null, 5, at, { order: "PO-1", gtin: NUT_GTIN });
    dock.sync();
    const kinds = async (query: string) =>
      (await s.call("GET", `/reconciliation?${query}`)).body.discrepancies.map(
        (d: { kind: string; sku: string | null; difference: number }) => [
          d.kind,
          d.sku,
          d.difference,
        ],
      );
    // A day after the delivery, the supplier's invoice may be on its way: the book takes the 5 in.
    expect(await kinds("graceDays=3")).toEqual([]);
    expect(await kinds("graceDays=3&side=stock")).toEqual([]);
    // Past the grace period: a receipt nobody invoiced, and a book 5 under the count.
    expect(await kinds("graceDays=0")).toEqual([
      ["received_not_invoiced", "NUT-8", 5],
      ["stock_gap", "NUT-8", 5],
    ]);
    const bought = supplierInvoiceJson("S-1", "Martin", [["NUT-8", 5, 150]], { orderRef: "PO-1" });
    expect((await s.call("POST", "/invoices", { body: bought })).status).toBe(201);
    expect(await kinds("graceDays=0")).toEqual([]);
  });
});

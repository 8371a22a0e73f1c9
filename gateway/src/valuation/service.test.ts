import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import {
  type ReconciliationSetup,
  reconciliationPerTest,
  supplierInvoiceJson,
} from "../testing/gateway-app.js";
import { layerKey } from "./book.js";
import { ValuationService } from "./service.js";

const setup = reconciliationPerTest("2026-03-01T08:00:00.000Z");
const GTIN = "03012345678901";

/** A node whose movements are stored as ingest stores a batch (one unit per movement). */
function node(s: ReconciliationSetup, id: string) {
  s.store.enrollNode(id, generateIdentity().publicKeyHex);
  const sealer = chainSealer(id);
  const pending: LedgerEntry[] = [];
  const tag = (n: number) => `3034257BF7194E40${n.toString(16).toUpperCase().padStart(8, "0")}`;
  return {
    tag,
    receive(
      n: number,
      at: string,
      order: string,
      extra: { sku?: string | null; gtin?: string } = {},
    ) {
      const { sku = "TEA", ...rest } = extra;
      pending.push(
        sealer.seal(
          "movement",
          {
            epc: tag(n),
            sku,
            kind: "receive",
            from: null,
            to: "dock",
            reader: "portal-1",
            antennas: [1],
            reads: 3,
            at,
            order,
            ...rest,
          },
          at,
        ),
      );
    },
    ship(n: number, at: string, order: string) {
      pending.push(
        sealer.seal(
          "movement",
          {
            epc: tag(n),
            sku: null,
            kind: "ship",
            from: "dock",
            to: null,
            reader: "portal-1",
            antennas: [1],
            reads: 3,
            at,
            order,
          },
          at,
        ),
      );
    },
    commission(n: number, sku: string, at: string) {
      pending.push(sealer.seal("commission", { epc: tag(n), sku }, at));
    },
    sync() {
      s.store.appendEntries(id, pending.splice(0));
    },
  };
}

async function site() {
  const s = await setup();
  // Catalog cost: half the price (the test setup's rule): TEA costs 5.00 until invoiced.
  await s.product("TEA", 1000);
  const valuation = new ValuationService({ db: s.store.db, clock: s.clock, currency: "EUR" });
  return { s, valuation, dock: node(s, "dock-1") };
}

describe("valuation service: the book caught up from the store", () => {
  it("receipts from ledger entries are provisional at the catalog cost until the supplier invoice, which revalues the units already shipped", async () => {
    const { s, valuation, dock } = await site();
    for (const n of [1, 2, 3]) dock.receive(n, "2026-03-01T09:00:00.000Z", "PO-1");
    dock.ship(1, "2026-03-02T09:00:00.000Z", "SO-1");
    dock.ship(2, "2026-03-02T09:00:01.000Z", "SO-1");
    dock.sync();
    const book = valuation.book();
    expect(book.layers("TEA")).toEqual([
      {
        sku: "TEA",
        key: layerKey("TEA", "PO-1"),
        order: "PO-1",
        receivedAt: "2026-03-01T09:00:00.000Z",
        quantity: 3,
        remaining: 1,
      },
    ]);
    expect(book.cogs({}, "fifo").get("TEA")).toMatchObject({
      quantity: 2,
      cogs: 1000,
      provisional: 2,
    });
    expect(book.exits().map((e) => e.order)).toEqual(["SO-1", "SO-1"]);

    const invoice = supplierInvoiceJson("S-1", "Martin", [["TEA", 3, 420]], { orderRef: "PO-1" });
    expect((await s.call("POST", "/invoices", { body: invoice })).status).toBe(201);
    const after = valuation.book();
    expect(after).toBe(book);
    expect(after.cost(layerKey("TEA", "PO-1"))).toEqual({
      unitCost: 420,
      provisional: false,
      invoice: "S-1",
    });
    expect(after.cogs({}, "fifo").get("TEA")).toMatchObject({ cogs: 840, provisional: 0 });
    expect(after.value(undefined, "fifo").get("TEA")).toMatchObject({ quantity: 1, value: 420 });

    // The invoice corrected: a new unit price revalues the same units again.
    const corrected = supplierInvoiceJson("S-1", "Martin", [["TEA", 3, 400]], { orderRef: "PO-1" });
    expect((await s.call("POST", "/invoices?update=true", { body: corrected })).status).toBe(200);
    expect(valuation.book().cogs({}, "fifo").get("TEA")?.cogs).toBe(800);
  });

  it("a despatch advice reference matches too; an invoice in another currency sets no cost", async () => {
    const { s, valuation, dock } = await site();
    dock.receive(1, "2026-03-01T09:00:00.000Z", "DA-7");
    dock.receive(2, "2026-03-01T10:00:00.000Z", "PO-9");
    dock.sync();
    const byDespatch = supplierInvoiceJson("S-2", "Martin", [["TEA", 1, 610]], {
      despatchRef: "DA-7",
    });
    const inDollars = supplierInvoiceJson("S-3", "Martin", [["TEA", 1, 990]], {
      orderRef: "PO-9",
      currency: "USD",
    });
    for (const body of [byDespatch, inDollars]) {
      expect((await s.call("POST", "/invoices", { body })).status).toBe(201);
    }
    const book = valuation.book();
    expect(book.cost(layerKey("TEA", "DA-7"))).toMatchObject({ unitCost: 610, provisional: false });
    expect(book.cost(layerKey("TEA", "PO-9"))).toEqual({
      unitCost: 500,
      provisional: true,
      invoice: null,
    });
  });

  it("an item of an unknown GTIN is unvalued until the catalog gives the GTIN to a product", async () => {
    const { s, valuation, dock } = await site();
    dock.receive(1, "2026-03-01T09:00:00.000Z", "PO-3", { sku: null, gtin: GTIN });
    dock.receive(2, "2026-03-01T09:00:01.000Z", "PO-3", { sku: null, gtin: GTIN });
    dock.receive(3, "2026-03-01T09:00:02.000Z", "PO-3", { sku: null });
    dock.sync();
    expect(valuation.book().skus()).toEqual([]);
    expect(valuation.unvalued()).toEqual({ unknownProducts: 2, plainTags: 1 });
    expect(valuation.unvalued("2026-03-01T09:00:00.500Z")).toEqual({
      unknownProducts: 1,
      plainTags: 0,
    });

    const res = await s.call("PUT", "/products/TEA", {
      body: {
        gtins: [GTIN],
        name: "Product TEA",
        unitPrice: { amount: 1000, currency: "EUR" },
        unitCost: { amount: 500, currency: "EUR" },
      },
    });
    expect(res.status).toBe(200);
    const book = valuation.book();
    expect(book.layers("TEA").map((l) => [l.order, l.quantity])).toEqual([["PO-3", 2]]);
    expect(valuation.unvalued()).toEqual({ unknownProducts: 0, plainTags: 1 });

    // The plain tag commissioned later: its receipt is the product's too.
    dock.commission(3, "TEA", "2026-03-02T09:00:00.000Z");
    dock.sync();
    expect(
      valuation
        .book()
        .layers("TEA")
        .map((l) => [l.order, l.quantity]),
    ).toEqual([["PO-3", 3]]);
    expect(valuation.unvalued()).toEqual({ unknownProducts: 0, plainTags: 0 });
  });

  it("a catalog cost change moves the provisional layers only", async () => {
    const { s, valuation, dock } = await site();
    dock.receive(1, "2026-03-01T09:00:00.000Z", "PO-1");
    dock.receive(2, "2026-03-01T10:00:00.000Z", "PO-2");
    dock.sync();
    const invoice = supplierInvoiceJson("S-1", "Martin", [["TEA", 1, 420]], { orderRef: "PO-1" });
    expect((await s.call("POST", "/invoices", { body: invoice })).status).toBe(201);
    const before = valuation.book();
    expect(before.value(undefined, "fifo").get("TEA")?.value).toBe(420 + 500);
    const res = await s.call("PUT", "/products/TEA", {
      body: {
        name: "Product TEA",
        unitPrice: { amount: 1000, currency: "EUR" },
        unitCost: { amount: 550, currency: "EUR" },
      },
    });
    expect(res.status).toBe(200);
    const book = valuation.book();
    // Followed in place: a cost moves no movement from one product to another.
    expect(book).toBe(before);
    expect(book.cost(layerKey("TEA", "PO-1"))).toMatchObject({ unitCost: 420, provisional: false });
    expect(book.cost(layerKey("TEA", "PO-2"))).toMatchObject({ unitCost: 550, provisional: true });
    expect(book.value(undefined, "fifo").get("TEA")).toMatchObject({
      value: 970,
      provisionalValue: 550,
    });
  });

  it("a GTIN taken from its product sends its items back to unvalued; a new customer or product changes nothing", async () => {
    const { s, valuation, dock } = await site();
    const product = (gtins: string[]) => ({
      gtins,
      name: "Product TEA",
      unitPrice: { amount: 1000, currency: "EUR" },
      unitCost: { amount: 500, currency: "EUR" },
    });
    expect((await s.call("PUT", "/products/TEA", { body: product([GTIN]) })).status).toBe(200);
    dock.receive(1, "2026-03-01T09:00:00.000Z", "PO-1", { sku: null, gtin: GTIN });
    dock.receive(2, "2026-03-01T09:00:01.000Z", "PO-1");
    dock.sync();
    const book = valuation.book();
    expect(book.layers("TEA").map((l) => l.quantity)).toEqual([2]);

    await s.call("POST", "/customers", {
      body: { id: "C-9", name: "New", creditLimit: "unlimited", paymentTermsDays: 30 },
    });
    await s.product("MUG", 800);
    expect(valuation.book()).toBe(book);

    expect((await s.call("PUT", "/products/TEA", { body: product([]) })).status).toBe(200);
    const rebuilt = valuation.book();
    expect(rebuilt).not.toBe(book);
    expect(rebuilt.layers("TEA").map((l) => l.quantity)).toEqual([1]);
    expect(valuation.unvalued()).toEqual({ unknownProducts: 1, plainTags: 0 });
  });

  it("movements stored since the last read are folded into the same book", async () => {
    const { valuation, dock } = await site();
    dock.receive(1, "2026-03-01T09:00:00.000Z", "PO-1");
    dock.sync();
    const book = valuation.book();
    expect(book.onSite("TEA").length).toBe(1);
    dock.receive(2, "2026-03-01T10:00:00.000Z", "PO-1");
    dock.ship(1, "2026-03-01T11:00:00.000Z", "SO-1");
    dock.sync();
    expect(valuation.book()).toBe(book);
    expect(book.onSite("TEA").map((u) => u.epc)).toEqual([dock.tag(2)]);
    valuation.invalidate();
    const rebuilt = valuation.book();
    expect(rebuilt).not.toBe(book);
    expect(rebuilt.onSite("TEA").map((u) => u.epc)).toEqual([dock.tag(2)]);
  });
});

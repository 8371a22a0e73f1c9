import { describe, expect, it } from "vitest";
import { matchGoodsToInvoices } from "./match.js";
import { stockGaps } from "./stock-gap.js";
import type { BilledLine, ObservedItem } from "./types.js";

const now = new Date("2026-03-20T12:00:00Z");
let serial = 0;
const ship = (
  sku: string | null,
  order: string | undefined,
  at: string,
  customer = "acme",
): ObservedItem => ({
  epc: `3034${(serial++).toString(16).toUpperCase().padStart(20, "0")}`,
  sku,
  ...(order ? { order } : {}),
  customer,
  node: "dock-1",
  reader: "portal-a",
  antennas: [1, 2],
  at,
});
const line = (
  invoice: string,
  sku: string,
  quantity: number,
  unitPrice: number,
  extra: Partial<BilledLine> = {},
): BilledLine => ({
  invoice,
  type: "invoice",
  orderRef: "SO-1",
  customer: "acme",
  issueDate: "2026-03-10",
  sku,
  quantity,
  unitPrice,
  ...extra,
});
const catalogPrice = (sku: string) => ({ WID: 1000, BOLT: 250, NUT: 90 })[sku];

describe("shipped against invoiced", () => {
  it("finds each kind, with amount at the invoice price, age and evidence", () => {
    const observed = [
      ...[1, 2, 3].map(() => ship("WID", "SO-1", "2026-03-09T08:00:00Z")), // 3 shipped, 5 invoiced
      ...[1, 2].map(() => ship("BOLT", "SO-1", "2026-03-09T08:05:00Z")), // shipped, not on the invoice
      ship("NUT", "SO-2", "2026-03-01T10:00:00Z"), // order never invoiced, past the grace period
      ship("NUT", "SO-3", "2026-03-19T10:00:00Z"), // within the grace period: not yet a leak
      ship(null, "SO-1", "2026-03-09T08:06:00Z"), // a tag nobody commissioned
    ];
    const lines = [line("F-1", "WID", 5, 1000), line("F-1", "SCREW", 4, 30)];
    const { discrepancies } = matchGoodsToInvoices(observed, lines, {
      side: "sales",
      now,
      catalogPrice,
    });
    const summary = discrepancies.map((d) => [
      d.kind,
      d.order,
      d.sku,
      d.observed,
      d.invoiced,
      d.amount,
      d.priceFrom,
      d.ageDays,
    ]);
    // A short shipment (3 seen, 5 invoiced) is invoiced_not_shipped for the 2 missing units.
    expect(summary).toEqual([
      ["shipped_not_invoiced", "SO-2", "NUT", 1, 0, 90, "catalog", 19],
      ["shipped_not_invoiced", "SO-1", "BOLT", 2, 0, 500, "catalog", 11],
      ["unknown_tag", "SO-1", null, 1, 0, null, null, 11],
      ["invoiced_not_shipped", "SO-1", "SCREW", 0, 4, 120, "invoice", 10],
      ["invoiced_not_shipped", "SO-1", "WID", 3, 5, 2000, "invoice", 10],
    ]);
    const short = discrepancies.find((d) => d.kind === "invoiced_not_shipped" && d.sku === "WID");
    expect(short?.difference).toBe(-2);
    // The reads of the 3 that did leave are the evidence.
    expect(short?.evidence).toHaveLength(3);
    expect(short?.evidence[0]).toMatchObject({
      node: "dock-1",
      reader: "portal-a",
      antennas: [1, 2],
      at: "2026-03-09T08:00:00Z",
    });
    expect(short?.invoices).toEqual(["F-1"]);
  });

  it("an over shipment is shipped_not_invoiced for the surplus, at once (the invoice is there)", () => {
    const observed = [1, 2, 3, 4].map(() => ship("WID", "SO-1", "2026-03-19T08:00:00Z"));
    const [gap, ...rest] = matchGoodsToInvoices(observed, [line("F-1", "WID", 3, 1000)], {
      side: "sales",
      now,
      graceDays: 3,
    }).discrepancies;
    expect(rest).toEqual([]);
    expect(gap).toMatchObject({
      kind: "shipped_not_invoiced",
      observed: 4,
      invoiced: 3,
      difference: 1,
      amount: 1000,
      priceFrom: "invoice",
    });
    expect(gap?.evidence).toHaveLength(4);
  });

  it("goods of a GTIN the catalog does not know, invoiced nowhere, are left to unknown_product", () => {
    const observed = [{ ...ship(null, "SO-1", "2026-03-01T08:00:00Z"), gtin: "09999999999994" }];
    expect(matchGoodsToInvoices(observed, [], { side: "sales", now }).discrepancies).toEqual([]);
  });

  it("a shipment fully invoiced, and a credit note bringing the quantity back, give nothing", () => {
    const observed = [
      ship("WID", "SO-1", "2026-03-01T08:00:00Z"),
      ship("WID", "SO-1", "2026-03-01T08:00:01Z"),
    ];
    const lines = [
      line("F-1", "WID", 3, 1000),
      line("AV-1", "WID", 1, 1000, { type: "credit-note" }),
    ];
    expect(matchGoodsToInvoices(observed, lines, { side: "sales", now }).discrepancies).toEqual([]);
  });

  it("matches by customer when neither the shipment nor the invoice names an order, and GTIN through the catalog", () => {
    const observed = [ship("WID", undefined, "2026-03-01T08:00:00Z", "bistro")];
    const lines = [
      line("F-2", "", 1, 1000, {
        orderRef: undefined,
        customer: "bistro",
        sku: undefined,
        gtin: "03760000000017",
      }),
    ];
    const skuOfGtin = (gtin: string) => (gtin === "03760000000017" ? "WID" : undefined);
    expect(
      matchGoodsToInvoices(observed, lines, { side: "sales", now, skuOfGtin }).discrepancies,
    ).toEqual([]);
    // Without the catalog's GTIN, the same pair is two gaps.
    expect(
      matchGoodsToInvoices(observed, lines, { side: "sales", now })
        .discrepancies.map((d) => d.kind)
        .sort(),
    ).toEqual(["invoiced_not_shipped", "shipped_not_invoiced"]);
  });

  it("an order invoiced without lines (MINIMUM) is listed as unmatchable, not as a leak", () => {
    const observed = [ship("WID", "SO-9", "2026-03-01T08:00:00Z")];
    const result = matchGoodsToInvoices(observed, [], { side: "sales", now }, [
      { invoice: "F-3", orderRef: "SO-9" },
    ]);
    expect(result).toEqual({
      discrepancies: [],
      unmatchable: [{ order: "SO-9", invoices: ["F-3"] }],
      awaitingInvoice: [],
    });
  });

  it("prices a gap at the earliest invoice's price, whatever order the lines come in", () => {
    const observed = [ship("WID", "SO-1", "2026-03-09T10:00:00Z")];
    const later = line("F-9", "WID", 1, 1200, { issueDate: "2026-03-12" });
    const earlier = line("F-2", "WID", 1, 1000, { issueDate: "2026-03-10" });
    for (const lines of [
      [later, earlier],
      [earlier, later],
    ]) {
      const [gap] = matchGoodsToInvoices(observed, lines, { side: "sales", now }).discrepancies;
      expect(gap).toMatchObject({ kind: "invoiced_not_shipped", unitPrice: 1000, amount: 1000 });
    }
  });

  it("the grace period is configurable", () => {
    const observed = [ship("WID", "SO-5", "2026-03-19T10:00:00Z")];
    expect(
      matchGoodsToInvoices(observed, [], { side: "sales", now, graceDays: 0 }).discrepancies,
    ).toHaveLength(1);
    expect(
      matchGoodsToInvoices(observed, [], { side: "sales", now, graceDays: 3 }).discrepancies,
    ).toHaveLength(0);
  });
});

describe("received against supplier invoices", () => {
  it("uses the purchase words", () => {
    const observed = [
      ship("WID", "PO-1", "2026-03-01T08:00:00Z"),
      ship("BOLT", "PO-1", "2026-03-01T08:00:00Z"),
    ];
    const lines = [
      line("S-1", "WID", 2, 600, { orderRef: "PO-1", customer: undefined, supplier: "martin" }),
      line("S-1", "NUT", 1, 50, { orderRef: "PO-1", customer: undefined, supplier: "martin" }),
    ];
    const kinds = matchGoodsToInvoices(observed, lines, {
      side: "purchases",
      now,
    }).discrepancies.map((d) => [d.kind, d.sku]);
    // WID: 1 received, 2 invoiced.
    expect(kinds).toEqual([
      ["received_not_invoiced", "BOLT"],
      ["invoiced_not_received", "NUT"],
      ["invoiced_not_received", "WID"],
    ]);
  });

  it("a receipt naming the despatch advice (BT-16) matches the supplier invoice that carries it", () => {
    const received = (count: number, reference: string) =>
      Array.from({ length: count }, () => ship("WID", reference, "2026-03-01T08:00:00Z"));
    const supplierLine = (quantity: number, extra: Partial<BilledLine>) =>
      line("S-2", "WID", quantity, 600, { customer: undefined, supplier: "martin", ...extra });
    const match = (observed: ObservedItem[], lines: BilledLine[]) =>
      matchGoodsToInvoices(observed, lines, { side: "purchases", now }).discrepancies.map((d) => [
        d.kind,
        d.order,
        d.observed,
        d.invoiced,
      ]);
    // Only BT-16 on the invoice.
    expect(
      match(received(3, "DA-7"), [supplierLine(3, { orderRef: undefined, despatchRef: "DA-7" })]),
    ).toEqual([]);
    // BT-13 and BT-16: the receipt names the despatch advice, not the order.
    expect(
      match(received(3, "DA-7"), [supplierLine(3, { orderRef: "PO-2", despatchRef: "DA-7" })]),
    ).toEqual([]);
    expect(
      match(received(2, "DA-7"), [supplierLine(3, { orderRef: "PO-2", despatchRef: "DA-7" })]),
    ).toEqual([["invoiced_not_received", "DA-7", 2, 3]]);
    // A despatch reference nobody received against: the invoice stays with its order.
    expect(
      match(received(3, "DA-8"), [supplierLine(3, { orderRef: "PO-2", despatchRef: "DA-7" })]),
    ).toEqual([
      ["received_not_invoiced", "DA-8", 3, 0],
      ["invoiced_not_received", "PO-2", 0, 3],
    ]);
    // Sales do not read BT-16: a customer invoice goes by its order reference only.
    expect(
      matchGoodsToInvoices(
        received(1, "DA-7"),
        [line("F-5", "WID", 1, 1000, { orderRef: undefined, despatchRef: "DA-7" })],
        {
          side: "sales",
          now,
        },
      ).discrepancies.map((d) => d.kind),
    ).toEqual(["shipped_not_invoiced", "invoiced_not_shipped"]);
  });
});

describe("stock counted against book", () => {
  it("reports each SKU whose count differs, with the zones counted", () => {
    const gaps = stockGaps(
      [
        { sku: "WID", zone: "A1", count: 4 },
        { sku: "WID", zone: "B2", count: 1 },
        { sku: "BOLT", zone: "A1", count: 10 },
        { sku: null, zone: "A1", count: 3 },
      ],
      new Map([
        ["WID", 7],
        ["BOLT", 10],
        ["NUT", 2],
      ]),
      { now, catalogPrice },
    );
    expect(
      gaps.map((g) => [g.sku, g.observed, g.invoiced, g.difference, g.amount, g.zone]),
    ).toEqual([
      ["NUT", 0, 2, -2, 180, null],
      ["WID", 5, 7, -2, 2000, "A1=4 B2=1"],
    ]);
  });
});

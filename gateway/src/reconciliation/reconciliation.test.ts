import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
  supplierInvoiceJson,
} from "../testing/gateway-app.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

/**
 * A small site with answers known in advance, on 2026-03-20:
 * - SO-1 (acme): 3 WID and 2 BOLT shipped on 03-09; invoice F-1 (03-10) bills 5 WID and 4 SCREW
 *   → invoiced_not_shipped WID (a short shipment: the 2 missing units at 10.00, since F-1),
 *     shipped_not_invoiced BOLT (2 at catalog 2.50), invoiced_not_shipped SCREW (4 at 0.30);
 *     one uncommissioned tag → unknown_tag.
 * - SO-2 (acme): 1 NUT shipped 03-01, never invoiced → shipped_not_invoiced (0.90, catalog).
 * - SO-3 (bistro): 2 NUT shipped on 03-19, within the 3-day grace → nothing yet.
 * - SO-4 (bistro): 2 WID shipped, invoiced 2 → nothing.
 * - PO-1 received 4 WID; supplier invoice S-1 (03-04) bills 5 WID → invoiced_not_received
 *   for the 1 missing unit at 6.00, since S-1.
 * - Stock: 4 WID counted at the dock against a book of 5 received − 7 invoiced; SCREW 0 against −4;
 *   NUT 0 against −2 (SO-3's 2 NUT, within their grace period, count in the book as their
 *   invoice will bill them).
 */
async function site() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
  await s.customer("bistro");
  await s.product("WID", 1200, "03760000000017");
  await s.product("BOLT", 250);
  await s.product("NUT", 90);
  await s.product("SCREW", 30);
  const dock = s.node("dock-1");
  dock.move("ship", "WID", 3, "2026-03-09T08:00:00.000Z", { order: "SO-1", customer: "acme" });
  dock.move("ship", "BOLT", 2, "2026-03-09T08:01:00.000Z", { order: "SO-1", customer: "acme" });
  const unknown = dock.move("ship", null, 1, "2026-03-09T08:02:00.000Z", {
    order: "SO-1",
    customer: "acme",
  });
  dock.move("ship", "NUT", 1, "2026-03-01T10:00:00.000Z", { order: "SO-2", customer: "acme" });
  dock.move("ship", "NUT", 2, "2026-03-19T10:00:00.000Z", { order: "SO-3", customer: "bistro" });
  dock.move("ship", "WID", 2, "2026-03-05T10:00:00.000Z", { order: "SO-4", customer: "bistro" });
  dock.move("receive", "WID", 4, "2026-03-03T07:00:00.000Z", { order: "PO-1" });
  dock.sync();
  const invoices = [
    invoiceJson(
      "F-1",
      "acme",
      [
        ["WID", 5, 1000],
        ["SCREW", 4, 30],
      ],
      { orderRef: "SO-1", issueDate: "2026-03-10" },
    ),
    invoiceJson("F-4", "bistro", [["WID", 2, 1000]], { orderRef: "SO-4", issueDate: "2026-03-06" }),
    supplierInvoiceJson("S-1", "martin", [["WID", 5, 600]], {
      orderRef: "PO-1",
      issueDate: "2026-03-04",
    }),
  ];
  const res = await s.call("POST", "/invoices/import", { body: invoices });
  if (res.status !== 201) throw new Error(res.text);
  return { unknown };
}

describe("GET /reconciliation", () => {
  it("lists each kind of discrepancy with amount, age and read evidence", async () => {
    const { unknown } = await site();
    const res = await s.call("GET", "/reconciliation");
    expect(res.status, res.text).toBe(200);
    const rows = res.body.discrepancies.map((d: Record<string, unknown>) => [
      d.kind,
      d.order,
      d.sku,
      d.observed,
      d.invoiced,
      d.amount,
      d.ageDays,
    ]);
    expect(rows).toEqual([
      ["shipped_not_invoiced", "SO-2", "NUT", 1, 0, 90, 19],
      // Short receipt and short shipment: the missing units, dated from the invoice.
      ["invoiced_not_received", "PO-1", "WID", 4, 5, 600, 16],
      ["shipped_not_invoiced", "SO-1", "BOLT", 2, 0, 500, 11],
      ["unknown_tag", "SO-1", null, 1, 0, null, 11],
      ["invoiced_not_shipped", "SO-1", "SCREW", 0, 4, 120, 10],
      ["invoiced_not_shipped", "SO-1", "WID", 3, 5, 2000, 10],
      // Book stock is receipts less invoiced sales (no opening stock here): SCREW −4, WID 5 − 7 = −2,
      // and NUT −2: SO-3's goods not invoiced yet but within the grace period.
      ["stock_gap", null, "NUT", 0, -2, 180, 0],
      ["stock_gap", null, "SCREW", 0, -4, 120, 0],
      ["stock_gap", null, "WID", 4, -2, 6 * 1200, 0],
    ]);
    const unknownTag = res.body.discrepancies.find(
      (d: { kind: string }) => d.kind === "unknown_tag",
    );
    expect(unknownTag.evidence).toEqual([
      {
        epc: unknown[0],
        node: "dock-1",
        reader: "portal-1",
        antennas: [1, 3],
        at: "2026-03-09T08:02:00.000Z",
      },
    ]);
    expect(res.body.counts).toEqual({
      shipped_not_invoiced: 2,
      invoiced_not_shipped: 2,
      received_not_invoiced: 0,
      invoiced_not_received: 1,
      unknown_tag: 1,
      unknown_product: 0,
      stock_gap: 3,
    });
  });

  it("filters by customer and order, and pushes each new discrepancy once on the live feed", async () => {
    await site();
    const byOrder = await s.call("GET", "/reconciliation?order=SO-1");
    expect(
      byOrder.body.discrepancies.map((d: { kind: string; sku: string | null }) => [d.kind, d.sku]),
    ).toEqual([
      ["shipped_not_invoiced", "BOLT"],
      ["unknown_tag", null],
      ["invoiced_not_shipped", "SCREW"],
      ["invoiced_not_shipped", "WID"],
    ]);
    const bistro = await s.call("GET", "/reconciliation?customer=bistro");
    expect(bistro.body.discrepancies).toEqual([]);
    const pushed = () => s.live.filter((event) => event.type === "discrepancy").length;
    expect(pushed()).toBe(4);
    await s.call("GET", "/reconciliation");
    expect(pushed()).toBe(9);
    await s.call("GET", "/reconciliation");
    expect(pushed()).toBe(9);
    // Two days later SO-3 (shipped 03-19) is past its grace period: one new event.
    s.clock.set("2026-03-22T12:00:00.000Z");
    await s.call("GET", "/reconciliation?customer=bistro");
    expect(pushed()).toBe(10);
    expect(s.live.at(-1)).toMatchObject({
      type: "discrepancy",
      data: { kind: "shipped_not_invoiced", order: "SO-3", observed: 2 },
    });
  });

  it("an unknown tag commissioned later counts as its SKU, and goods stored after a run are seen by the next", async () => {
    const { unknown } = await site();
    const first = await s.call("GET", "/reconciliation?order=SO-1");
    expect(first.body.counts.unknown_tag).toBe(1);
    const dock2 = s.node("dock-2");
    dock2.commission(unknown[0] as string, "BOLT", "2026-03-20T09:00:00.000Z");
    dock2.move("ship", "SCREW", 4, "2026-03-20T09:30:00.000Z", { order: "SO-1", customer: "acme" });
    dock2.sync();
    const after = await s.call("GET", "/reconciliation?order=SO-1");
    expect(
      after.body.discrepancies.map((d: { kind: string; sku: string; observed: number }) => [
        d.kind,
        d.sku,
        d.observed,
      ]),
    ).toEqual([
      ["shipped_not_invoiced", "BOLT", 3],
      ["invoiced_not_shipped", "WID", 3],
    ]);
  });

  it("matches a counter sale on account against the invoice that names it, like a shipment", async () => {
    await site();
    const counter = s.node("counter-1");
    counter.move("sale", "WID", 2, "2026-03-18T15:00:00.000Z", {
      order: "counter-1-42",
      customer: "bistro",
    });
    counter.sync();
    const before = await s.call("GET", "/reconciliation?order=counter-1-42&graceDays=0");
    expect(before.body.discrepancies.map((d: { kind: string }) => d.kind)).toEqual([
      "shipped_not_invoiced",
    ]);
    const invoice = invoiceJson("F-9", "bistro", [["WID", 2, 1000]], {
      orderRef: "counter-1-42",
      issueDate: "2026-03-18",
    });
    expect((await s.call("POST", "/invoices", { body: invoice })).status).toBe(201);
    const after = await s.call("GET", "/reconciliation?order=counter-1-42&graceDays=0");
    expect(after.body.discrepancies).toEqual([]);
  });

  it("exports the discrepancies as CSV", async () => {
    await site();
    const res = await s.call("GET", "/reconciliation?order=SO-1&format=csv");
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv/);
    const lines = res.text.trim().split("\r\n");
    expect(lines[0]).toMatch(
      /^kind,order,customer,supplier,sku,gtin,zone,observed,invoiced,difference,unit_price,amount,currency/,
    );
    expect(lines[1]).toMatch(
      /^shipped_not_invoiced,SO-1,acme,,BOLT,,,2,0,2,2\.50,5\.00,EUR,catalog,,11,/,
    );
    // The short shipment: 2 of the 5 WID F-1 bills missing, at F-1's price, dated from F-1.
    expect(lines[4]).toMatch(
      /^invoiced_not_shipped,SO-1,acme,,WID,,,3,5,-2,10\.00,20\.00,EUR,invoice,F-1,10,/,
    );
    expect(lines).toHaveLength(5);
  });

  it("refuses a bad period and a role without the permission", async () => {
    await site();
    const period = await s.call("GET", "/reconciliation?from=2026-03-10&to=2026-03-01");
    expect(period.status).toBe(400);
    const bad = await s.call("GET", "/reconciliation?from=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems[0].path).toBe("from");
    const counter = await s.call("GET", "/reconciliation", { role: "counter" });
    expect(counter.status).toBe(403);
  });
});

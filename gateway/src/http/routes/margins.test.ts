import { afterEach, describe, expect, it } from "vitest";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { type MarginSite, marginSite } from "../../testing/margins-site.js";

const NUT_GTIN = "03760000000024";

const open: MarginSite[] = [];
afterEach(async () => {
  for (const site of open.splice(0)) await site.close();
});

async function site(analytics: unknown = { marginFloors: { categories: { "power-tools": 20 } } }) {
  const s = await marginSite({ analytics });
  open.push(s);
  return s;
}

/**
 * Three drills in under PO-1 (invoiced at 82.00), two shipped for SO-1 and
 * billed on INV-000012 (one at 80.00: under cost; one at 100.00: 18 %, under
 * the power tools' 20 % floor) with a line of a product nobody knows; SO-1
 * billed again later (INV-000014: nothing left of it, costed at the next
 * unit's cost); 4 nuts billed by GTIN with no order; the third drill sold at
 * the counter (S-1) at 90.00, and S-1 billed to the customer (INV-000020:
 * the sale's, left out).
 */
async function drills() {
  const s = await site();
  await s.product("DRL-18V", 5000, { category: "power-tools" });
  await s.product("NUT-8", 100, { gtin: NUT_GTIN });
  await s.customer("bistro");
  s.move("receive", "DRL-18V", "PO-1", 3, "2026-03-01T08:00:00.000Z");
  s.supplierCost("DRL-18V", "PO-1", 8200);
  s.move("ship", "DRL-18V", "SO-1", 2, "2026-03-02T08:00:00.000Z");
  s.move("sale", "DRL-18V", "S-1", 1, "2026-03-05T10:00:01.000Z");
  await s.invoice("INV-000012", "SO-1", [
    ["DRL-18V", 1, 8000],
    ["DRL-18V", 1, 10_000],
    ["MYSTERY", 1, 500],
  ]);
  await s.invoice("INV-000014", "SO-1", [["DRL-18V", 1, 9000]], { issueDate: "2026-03-06" });
  const nuts = await s.call("POST", "/invoices", {
    body: {
      number: "INV-000013",
      direction: "customer",
      type: "invoice",
      issueDate: "2026-03-04",
      currency: "EUR",
      customer: "bistro",
      lines: [{ id: "1", gtin: NUT_GTIN, quantity: 4, unitPrice: 250, netAmount: 1000 }],
      netTotal: 1000,
      vatTotal: 0,
      grossTotal: 1000,
      amountDue: 1000,
    },
  });
  expect(nuts.status, nuts.text).toBe(201);
  s.sale("S-1", [["DRL-18V", 1, 9000]]);
  await s.invoice("INV-000020", "S-1", [["DRL-18V", 1, 9000]], { issueDate: "2026-03-07" });
  return s;
}

type Row = Record<string, unknown>;
const brief = (rows: Row[]) =>
  rows.map((r) => [r.document, r.line, r.sku, r.revenue, r.cogs, r.margin, r.rate, r.flag]);

describe("GET /valuation/margins", () => {
  it("costs each invoice and sale line from its order's exits, flags it against its floor, and totals the costed rows", async () => {
    const s = await drills();
    const res = await s.call("GET", "/valuation/margins", { role: "viewer" });
    expect(res.status, res.text).toBe(200);
    expect(brief(res.body.rows)).toEqual([
      ["INV-000012", "1", "DRL-18V", 8000, 8200, -200, -2.5, "below-cost"],
      ["INV-000012", "2", "DRL-18V", 10_000, 8200, 1800, 18, "below-margin"],
      ["INV-000012", "3", "MYSTERY", 500, null, null, null, "ok"],
      ["INV-000013", "1", "NUT-8", 1000, 400, 600, 60, "ok"],
      ["S-1", "1", "DRL-18V", 9000, 8200, 800, 8.9, "below-margin"],
      // Both SO-1 units went to INV-000012: the next unit's cost (none on site: the catalog's).
      ["INV-000014", "1", "DRL-18V", 9000, 5000, 4000, 44.4, "ok"],
    ]);
    expect(res.body.rows[0]).toMatchObject({
      source: "invoice",
      order: "SO-1",
      customer: "bistro",
      name: "Product DRL-18V",
      date: "2026-03-02",
      quantity: 1,
      floor: 20,
      estimated: false,
      provisional: false,
    });
    expect(res.body.rows[3]).toMatchObject({ floor: null, estimated: true, provisional: true });
    expect(res.body.rows[4]).toMatchObject({ source: "sale", order: "S-1", customer: null });
    expect(res.body).toMatchObject({
      method: "fifo",
      currency: "EUR",
      totals: { revenue: 37_000, cogs: 30_000, margin: 7000, rate: 18.9 },
      uncosted: { rows: 1, revenue: 500 },
    });
  });

  it("filters by flag, source, order, customer and dates, each row costed as in the whole list", async () => {
    const s = await drills();
    const docs = async (query: string) => {
      const res = await s.call("GET", `/valuation/margins?${query}`);
      expect(res.status, res.text).toBe(200);
      return res.body.rows.map((r: Row) => `${r.document}/${r.line}`);
    };
    expect(await docs("flag=below-margin")).toEqual(["INV-000012/2", "S-1/1"]);
    expect(await docs("source=sale")).toEqual(["S-1/1"]);
    expect(await docs("order=SO-1&flag=below-cost")).toEqual(["INV-000012/1"]);
    expect(await docs("customer=bistro&source=invoice&to=2026-03-04")).toEqual([
      "INV-000012/1",
      "INV-000012/2",
      "INV-000012/3",
      "INV-000013/1",
    ]);
    // INV-000014 alone in the range still comes after INV-000012 in SO-1: estimated, not given its units.
    const late = await s.call("GET", "/valuation/margins?from=2026-03-06");
    expect(brief(late.body.rows)).toEqual([
      ["INV-000014", "1", "DRL-18V", 9000, 5000, 4000, 44.4, "ok"],
    ]);
    expect(late.body.rows[0].estimated).toBe(true);
    const average = await s.call("GET", "/valuation/margins?method=average&order=S-1");
    expect(average.body).toMatchObject({ method: "average", rows: [{ cogs: 8200 }] });
  });

  it("answers CSV: amounts as decimals, a total line", async () => {
    const s = await drills();
    const res = await s.call("GET", "/valuation/margins?format=csv&order=SO-1");
    expect(res.status).toBe(200);
    const lines = res.text.split("\r\n");
    expect(lines[0]).toBe(
      "source,document,line,order,customer,sku,name,date,quantity,revenue,cogs,margin,rate,floor,flag,estimated,provisional,currency,method",
    );
    expect(lines[1]).toBe(
      "invoice,INV-000012,1,SO-1,bistro,DRL-18V,Product DRL-18V,2026-03-02,1,80.00,82.00,-2.00,-2.5,20,below-cost,no,no,EUR,fifo",
    );
    expect(lines[3]).toBe(
      "invoice,INV-000012,3,SO-1,bistro,MYSTERY,,2026-03-02,1,5.00,,,,,ok,no,no,EUR,fifo",
    );
    expect(lines[5]).toBe("TOTAL,,,,,,,,,270.00,214.00,56.00,20.7,,,,,EUR,fifo");
    expect(lines[6]).toBe("");
  });

  it("refuses a bad query with its path, and a role without valuation:read", async () => {
    const s = await drills();
    for (const [query, path] of [
      ["from=2026-13-01", "from"],
      ["method=lifo", "method"],
      ["flag=bad", "flag"],
      ["source=pos", "source"],
      ["colour=red", ""],
    ] as const) {
      const res = await s.call("GET", `/valuation/margins?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.problems[0].path, query).toBe(path);
    }
    expect((await s.call("GET", "/valuation/margins", { role: "warehouse" })).status).toBe(403);
  });
});

describe("/analytics/margin-floors", () => {
  it("answers the config's floors until changed; a change is kept across a restart and recorded in the gateway ledger", async () => {
    const s = await site({ marginFloors: { default: 12, categories: { "power-tools": 20 } } });
    const first = await s.call("GET", "/analytics/margin-floors", { role: "viewer" });
    expect(first.body).toEqual({ default: 12, categories: { "power-tools": 20 }, products: {} });
    const floors = { default: 10, categories: { garden: 30 }, products: { "DRL-18V": 15 } };
    const put = await s.call("PUT", "/analytics/margin-floors", { body: floors });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toEqual(floors);
    const entries = [...s.store.entries(GATEWAY_CHAIN)].filter(
      (e) => e.type === "margin-floors.changed",
    );
    expect(entries.map((e) => e.data)).toEqual([
      {
        by: expect.objectContaining({ kind: "token" }),
        floors,
        before: { default: 12, categories: { "power-tools": 20 }, products: {} },
      },
    ]);
    // The same config at the next start does not undo what the API set.
    const dir = s.dir;
    s.store.close();
    const again = await marginSite({
      dir,
      analytics: { marginFloors: { default: 12, categories: { "power-tools": 20 } } },
    });
    open.push(again);
    expect((await again.call("GET", "/analytics/margin-floors")).body).toEqual(floors);
    // The floors apply to margins at once: the drill's own 15 % wins over its category.
    await again.product("DRL-18V", 5000, { category: "garden" });
    await again.customer("bistro");
    again.move("receive", "DRL-18V", "PO-1", 1, "2026-03-01T08:00:00.000Z");
    again.move("ship", "DRL-18V", "SO-1", 1, "2026-03-02T08:00:00.000Z");
    await again.invoice("INV-1", "SO-1", [["DRL-18V", 1, 5800]]);
    const margins = await again.call("GET", "/valuation/margins");
    expect(margins.body.rows[0]).toMatchObject({ rate: 13.8, floor: 15, flag: "below-margin" });
  });

  it("refuses bad floors with the path and changes nothing; only valuation:write may change them", async () => {
    const s = await site({ marginFloors: { default: 12 } });
    const before = JSON.stringify(s.store.db.prepare("SELECT * FROM entries").all());
    for (const [body, path] of [
      [{ default: 150 }, "default"],
      [{ categories: { "power-tools": "20" } }, "categories.power-tools"],
      [{ products: { "": 10 } }, "products."],
      [{ default: 10, colour: "red" }, ""],
    ] as const) {
      const res = await s.call("PUT", "/analytics/margin-floors", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.problems[0].path, JSON.stringify(body)).toBe(path);
    }
    expect((await s.call("PUT", "/analytics/margin-floors", { raw: '{"default":' })).status).toBe(
      400,
    );
    const viewer = await s.call("PUT", "/analytics/margin-floors", {
      role: "viewer",
      body: { default: 5 },
    });
    expect(viewer.status).toBe(403);
    expect(JSON.stringify(s.store.db.prepare("SELECT * FROM entries").all())).toBe(before);
    expect((await s.call("GET", "/analytics/margin-floors")).body).toEqual({
      default: 12,
      categories: {},
      products: {},
    });
  });
});

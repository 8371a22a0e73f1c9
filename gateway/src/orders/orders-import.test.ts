import { OrderListSchema } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { reconciliationPerTest } from "../testing/gateway-app.js";

const T0 = "2026-03-05T09:00:00.000Z";
const site = reconciliationPerTest(T0);

async function setup() {
  const s = await site();
  await s.product("SKU-1", 100);
  await s.product("SKU-2", 250, "03012345678900");
  await s.customer("C1", "Client C1", { limit: 50_000 });
  return s;
}
type Setup = Awaited<ReturnType<typeof setup>>;

const good = (number: string, quantity = 10) => ({
  number,
  customer: "C1",
  orderDate: "2026-03-04",
  requestedShipDate: "2026-03-10",
  lines: [{ sku: "SKU-1", quantity, unitPrice: 100 }],
});

/** Everything an order import could change. */
const ordersState = (s: Setup) =>
  JSON.stringify(
    ["orders", "order_lines", "order_events", "entries"].map((table) =>
      s.store.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all(),
    ),
  );

const CSV_HEADER =
  "number,customer,order_date,requested_ship_date,currency,sku,gtin,quantity,unit_price";

describe("sales orders: file import", () => {
  it("imports JSON orders in file order, each decided as POST /orders does", async () => {
    const s = await setup();
    const res = await s.call("POST", "/orders/import", {
      body: { orders: [good("SO-1", 300), good("SO-2", 300)] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.imported).toBe(2);
    // The first counts in the exposure the second is decided on: 300.00 + 300.00 > 500.00.
    expect(res.body.orders.map((o: { state: string }) => o.state)).toEqual(["approved", "held"]);
    expect(s.gatewayEntries("order.placed")).toHaveLength(2);
  });

  it("imports CSV rows grouped by order number, GTIN or SKU, decimal prices", async () => {
    const s = await setup();
    const csv = [
      CSV_HEADER,
      "SO-1,C1,2026-03-04,2026-03-10,EUR,SKU-1,,2,1.00",
      "SO-2,C1,2026-03-04,2026-03-11,,SKU-1,,1,1.50",
      "SO-1,C1,2026-03-04,2026-03-10,EUR,,03012345678900,3,2.50",
    ].join("\n");
    const res = await s.call("POST", "/orders/import", { raw: csv, type: "text/csv" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.orders).toMatchObject([
      {
        number: "SO-1",
        total: 2 * 100 + 3 * 250,
        lines: [{ sku: "SKU-1" }, { sku: "SKU-2", gtin: "03012345678900" }],
      },
      { number: "SO-2", total: 150, currency: "EUR" },
    ]);
  });

  it("refuses the whole file for one bad order, listing every problem, and stores nothing", async () => {
    const s = await setup();
    const before = ordersState(s);
    const res = await s.call("POST", "/orders/import", {
      body: [
        good("SO-1"),
        {
          ...good("SO-2"),
          lines: [
            { sku: "NOPE", quantity: 1, unitPrice: 100 },
            { gtin: "04012345678901", quantity: 1, unitPrice: 1 },
          ],
        },
        { ...good("SO-3"), customer: "C9" },
        good("SO-1"),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("nothing imported");
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "[1].lines[0].sku",
      "[1].lines[1].gtin",
      "[3].number",
      "[2].customer",
    ]);
    expect(ordersState(s)).toBe(before);
  });

  it("locates CSV problems by line and column", async () => {
    const s = await setup();
    const csv = [
      CSV_HEADER,
      "SO-1,C1,2026-03-04,2026-03-10,EUR,SKU-1,,two,1.00",
      "SO-1,C2,2026-03-04,2026-03-10,EUR,SKU-9,,1,1.00",
      "SO-2,C1,2026-03-04,2026-03-10,EUR,SKU-9,,1,1.00",
    ].join("\n");
    const before = ordersState(s);
    const bad = await s.call("POST", "/orders/import", { raw: csv, type: "text/csv" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "line 2, quantity",
      "line 3, customer",
    ]);
    const fixed = csv.replace("two", "2").replace("SO-1,C2", "SO-1,C1");
    const unknown = await s.call("POST", "/orders/import", { raw: fixed, type: "text/csv" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "line 3, sku",
      "line 4, sku",
    ]);
    expect(ordersState(s)).toBe(before);
  });

  it("a dry run answers the orders and decisions it would store, and stores nothing", async () => {
    const s = await setup();
    const before = ordersState(s);
    const res = await s.call("POST", "/orders/import?dryRun=true", {
      body: [good("SO-1", 300), good("SO-2", 300)],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, imported: 0 });
    expect(res.body.orders.map((o: { state: string }) => o.state)).toEqual(["approved", "held"]);
    expect(ordersState(s)).toBe(before);
    expect(s.live.filter((e) => e.type === "order")).toEqual([]);
    expect((await s.call("GET", "/orders")).body.orders).toEqual([]);
  });
});

describe("sales orders: bad input is refused with where it is", () => {
  it("answers 400/404/409/422 with paths, and changes nothing", async () => {
    const s = await setup();
    expect((await s.call("POST", "/orders", { body: good("SO-1") })).status).toBe(201);
    const before = ordersState(s);
    const cases: [unknown, number, string][] = [
      [{ ...good("SO-2"), lines: [] }, 400, "lines"],
      [{ ...good("SO-2"), lines: [{ quantity: 1, unitPrice: 1 }] }, 400, "lines[0]"],
      [
        { ...good("SO-2"), lines: [{ sku: "SKU-1", quantity: 1.5, unitPrice: 1 }] },
        400,
        "lines[0].quantity",
      ],
      [{ ...good("SO-2"), requestedShipDate: "next week" }, 400, "requestedShipDate"],
      [{ ...good("SO 2") }, 400, "number"],
      [
        { ...good("SO-2"), lines: [{ sku: "SKU-404", quantity: 1, unitPrice: 1 }] },
        400,
        "lines[0].sku",
      ],
      [good("SO-1"), 409, "number"],
      [{ ...good("SO-2"), customer: "C9" }, 422, "customer"],
      [{ ...good("SO-2"), currency: "USD" }, 422, "currency"],
    ];
    for (const [body, status, path] of cases) {
      const res = await s.call("POST", "/orders", { body });
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.path ?? res.body.error.problems?.[0]?.path).toBe(path);
    }
    expect(ordersState(s)).toBe(before);
    const missing = await s.call("GET", "/orders/SO-404");
    expect(missing.status).toBe(404);
    expect((await s.call("GET", "/orders?state=lost")).status).toBe(400);
    expect((await s.call("POST", "/orders/SO-404/cancel", { body: {} })).status).toBe(404);
    expect(
      (await s.call("POST", "/orders", { role: "warehouse", body: good("SO-3") })).status,
    ).toBe(403);
    expect(ordersState(s)).toBe(before);
  });

  it("lists orders held first with the counts per state, filtered by state and customer", async () => {
    const s = await setup();
    await s.call("POST", "/orders", { body: good("SO-1", 100) });
    await s.call("POST", "/orders", { body: good("SO-2", 1000) });
    await s.call("POST", "/orders", { body: { ...good("SO-3", 100), orderDate: "2026-03-05" } });
    const all = (await s.call("GET", "/orders", { role: "warehouse" })).body;
    expect(all.orders.map((o: { number: string }) => o.number)).toEqual(["SO-2", "SO-3", "SO-1"]);
    expect(all.counts).toEqual({
      approved: 2,
      held: 1,
      released: 0,
      "partially-shipped": 0,
      shipped: 0,
      invoiced: 0,
      cancelled: 0,
    });
    expect(OrderListSchema.safeParse(all).success).toBe(true);
    const held = (await s.call("GET", "/orders?state=held&customer=C1")).body;
    expect(held.orders.map((o: { number: string }) => o.number)).toEqual(["SO-2"]);
    expect((await s.call("GET", "/orders?customer=C2")).body.orders).toEqual([]);
    const first = (await s.call("GET", "/orders?limit=2")).body;
    expect(first.orders.map((o: { number: string }) => o.number)).toEqual(["SO-2", "SO-3"]);
    expect(first.counts.approved).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { CreditService } from "../credit/service.js";
import { reconciliationPerTest } from "../testing/gateway-app.js";

/** 2026-03-05, 09:00 UTC: invoices issued 03-02 on 30 days are not yet due. */
const T0 = "2026-03-05T09:00:00.000Z";
const site = reconciliationPerTest(T0);

async function setup() {
  const s = await site();
  await s.product("SKU-1", 100);
  await s.product("SKU-2", 250, "03012345678900");
  return s;
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** An order of `total` cents: SKU-1 at 1.00 × total/100. */
async function order(
  s: Setup,
  number: string,
  customerId: string,
  total: number,
  orderDate = "2026-03-04",
) {
  const res = await s.call("POST", "/orders", {
    body: {
      number,
      customer: customerId,
      orderDate,
      requestedShipDate: "2026-03-10",
      lines: [{ sku: "SKU-1", quantity: total / 100, unitPrice: 100 }],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function invoice(
  s: Setup,
  number: string,
  customerId: string,
  amount: number,
  extra: Record<string, unknown> = {},
) {
  const res = await s.call("POST", "/invoices", {
    body: {
      number,
      direction: "customer",
      type: "invoice",
      issueDate: "2026-03-02",
      currency: "EUR",
      customer: customerId,
      lines: [],
      netTotal: amount,
      vatTotal: 0,
      grossTotal: amount,
      amountDue: amount,
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function pay(s: Setup, id: string, customerId: string, amount: number) {
  const res = await s.call("POST", "/payments", {
    body: { id, date: "2026-03-05", amount, currency: "EUR", customer: customerId },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const state = async (s: Setup, number: string) =>
  (await s.call("GET", `/orders/${number}`)).body.state;

describe("sales orders: the decision at entry", () => {
  it("approves within the limit and holds over it, with the counter's itemised reasons", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    await invoice(s, "F-1", "C1", 60_000);
    const approved = await order(s, "SO-1", "C1", 30_000);
    expect(approved.state).toBe("approved");
    expect(approved.credit.decision).toBe("approve");
    expect(approved.credit.reasons.map((r: { code: string }) => r.code)).toEqual(["within-limit"]);
    expect(approved.total).toBe(30_000);
    expect(approved.customerName).toBe("Client C1");

    // 60 000 invoiced + 30 000 open order + 20 000 > 100 000.
    const held = await order(s, "SO-2", "C1", 20_000);
    expect(held.state).toBe("held");
    expect(held.credit.reasons).toEqual([
      { code: "over-limit", message: "exposure €1,100.00 > limit €1,000.00; available €100.00" },
    ]);
    expect(held.credit.figures).toMatchObject({ exposure: 90_000, amount: 20_000, limit: 100_000 });
    expect(held.credit.toRelease).toBe(10_000);

    const placed = s.gatewayEntries("order.placed").map((entry) => entry.data);
    expect(placed).toMatchObject([
      { order: "SO-1", decision: "approve", amount: 30_000 },
      { order: "SO-2", decision: "block", reasons: [{ code: "over-limit" }] },
    ]);
    const live = s.live.filter((event) => event.type === "order").map((event) => event.data);
    expect(live).toMatchObject([
      { order: "SO-1", state: "approved", previous: null },
      { order: "SO-2", state: "held", previous: null, reasons: [expect.stringContaining("limit")] },
    ]);
  });

  it("counts approved orders not yet shipped as their own exposure component; held orders not at all", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    await order(s, "SO-1", "C1", 30_000);
    await order(s, "SO-2", "C1", 80_000); // held: 30 000 + 80 000 > 100 000
    const credit = (await s.call("GET", "/credit/C1")).body;
    expect(credit.exposure.openOrders).toMatchObject({
      amount: 30_000,
      documents: [{ kind: "order", id: "SO-1", amount: 30_000 }],
    });
    expect(credit.exposure.total).toBe(30_000);
  });

  it("with credit.openOrdersInExposure off, the component is empty and approved orders do not weigh", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    await order(s, "SO-1", "C1", 30_000);
    const off = new CreditService({
      store: s.store,
      ledger: s.ledger,
      clock: s.clock,
      config: { openOrdersInExposure: false },
    });
    const statement = off.statement("C1");
    expect(statement?.exposure.openOrders).toEqual({ amount: 0, documents: [] });
    expect(statement?.exposure.total).toBe(0);
    expect(s.credit.statement("C1")?.exposure.total).toBe(30_000);
  });

  it("a new order is decided on its own figures while older ones are held", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    expect((await order(s, "SO-1", "C1", 90_000, "2026-03-01")).state).toBe("approved");
    expect((await order(s, "SO-2", "C1", 50_000, "2026-03-02")).state).toBe("held");
    expect((await order(s, "SO-3", "C1", 10_000, "2026-03-03")).state).toBe("approved");
  });
});

describe("sales orders: holds lift by themselves", () => {
  it("a payment releases held orders in order-date order and stops at the first that would break the limit", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    await invoice(s, "F-1", "C1", 100_000);
    // Placed out of date order: release follows the order date, not the entry.
    await order(s, "SO-B", "C1", 30_000, "2026-03-02");
    await order(s, "SO-C", "C1", 40_000, "2026-03-03");
    await order(s, "SO-A", "C1", 20_000, "2026-03-01");
    for (const number of ["SO-A", "SO-B", "SO-C"]) expect(await state(s, number)).toBe("held");
    const list = (await s.call("GET", "/orders?customer=C1")).body;
    const toRelease = Object.fromEntries(
      list.orders.map((o: { number: string; credit: { toRelease: number } }) => [
        o.number,
        o.credit.toRelease,
      ]),
    );
    // Each counts the held orders before it: paying 50 000 releases A and B.
    expect(toRelease).toEqual({ "SO-A": 20_000, "SO-B": 50_000, "SO-C": 90_000 });

    await pay(s, "P-1", "C1", 50_000);
    expect(await state(s, "SO-A")).toBe("released");
    expect(await state(s, "SO-B")).toBe("released");
    expect(await state(s, "SO-C")).toBe("held");
    const released = s.gatewayEntries("order.released").map((entry) => entry.data);
    expect(released).toMatchObject([
      {
        order: "SO-A",
        override: false,
        by: { kind: "system", id: "credit" },
        cause: { kind: "receivables" },
        exposureBefore: 50_000,
        exposureAfter: 70_000,
      },
      { order: "SO-B", override: false, exposureBefore: 70_000, exposureAfter: 100_000 },
    ]);
    expect(
      s.live
        .filter((e) => e.type === "order" && e.data.state === "released")
        .map((e) => e.type === "order" && e.data.order),
    ).toEqual(["SO-A", "SO-B"]);
    // The one still held says what it takes now.
    expect((await s.call("GET", "/orders/SO-C")).body.credit.toRelease).toBe(40_000);
  });

  it("overdue beyond the floor holds; paying what is over the floor releases", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 100_000 });
    // Due 2026-01-31: 33 days late on 03-05, over the site's 30 days; 100.00 over the 50.00 floor.
    await invoice(s, "F-OLD", "C1", 15_000, { issueDate: "2026-01-01" });
    const held = await order(s, "SO-1", "C1", 10_000);
    expect(held.state).toBe("held");
    expect(held.credit.reasons.map((r: { code: string }) => r.code)).toEqual(["overdue"]);
    expect(held.credit.toRelease).toBe(10_000);
    await pay(s, "P-1", "C1", 9_999);
    expect(await state(s, "SO-1")).toBe("held");
    expect((await s.call("GET", "/orders/SO-1")).body.credit.toRelease).toBe(1);
    await pay(s, "P-2", "C1", 1);
    expect(await state(s, "SO-1")).toBe("released");
  });

  it("a raised limit releases a held order", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 10_000 });
    await order(s, "SO-1", "C1", 20_000);
    expect(await state(s, "SO-1")).toBe("held");
    const res = await s.call("PUT", "/customers/C1", {
      body: {
        name: "Client C1",
        creditLimit: { amount: 50_000, currency: "EUR" },
        paymentTermsDays: 30,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await state(s, "SO-1")).toBe("released");
    expect(s.gatewayEntries("order.released")[0]?.data).toMatchObject({ cause: { kind: "limit" } });
  });

  it("cancelling an approved order frees its credit and releases the next held one", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 30_000 });
    await order(s, "SO-1", "C1", 20_000, "2026-03-01");
    await order(s, "SO-2", "C1", 20_000, "2026-03-02");
    expect(await state(s, "SO-2")).toBe("held");
    const res = await s.call("POST", "/orders/SO-1/cancel", {
      body: { reason: "customer changed their mind" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe("cancelled");
    expect(await state(s, "SO-2")).toBe("released");
    expect(s.gatewayEntries("order.released")[0]?.data).toMatchObject({
      order: "SO-2",
      cause: { kind: "cancel", order: "SO-1" },
    });
    // A cancelled order cannot be cancelled again.
    expect((await s.call("POST", "/orders/SO-1/cancel", { body: {} })).status).toBe(409);
  });
});

describe("sales orders: the credit manager's override", () => {
  it("needs a reason and the role, and records who, why and the exposure before and after", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 10_000 });
    await order(s, "SO-1", "C1", 5_000);
    await order(s, "SO-2", "C1", 20_000);
    const missing = await s.call("POST", "/orders/SO-2/release", { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe("reason");
    const short = await s.call("POST", "/orders/SO-2/release", { body: { reason: "ok" } });
    expect(short.status).toBe(400);
    for (const role of ["warehouse", "viewer", "counter"] as const) {
      const forbidden = await s.call("POST", "/orders/SO-2/release", {
        role,
        body: { reason: "known customer, pays late" },
      });
      expect(forbidden.status, role).toBe(403);
    }
    expect(await state(s, "SO-2")).toBe("held");

    const res = await s.call("POST", "/orders/SO-2/release", {
      role: "accounting",
      body: { reason: "known customer, pays late" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe("released");
    const entry = s.gatewayEntries("order.released")[0]?.data;
    expect(entry).toMatchObject({
      order: "SO-2",
      override: true,
      by: { kind: "token", id: s.tokenId.accounting },
      reason: "known customer, pays late",
      exposureBefore: 5_000,
      exposureAfter: 25_000,
      limit: 10_000,
    });
    expect(res.body.history.at(-1)).toMatchObject({
      state: "released",
      by: `token:${s.tokenId.accounting}`,
      reason: "known customer, pays late",
      exposureBefore: 5_000,
      exposureAfter: 25_000,
    });
    // Not held any more: nothing to release.
    const again = await s.call("POST", "/orders/SO-2/release", {
      body: { reason: "once more please" },
    });
    expect(again.status).toBe(409);
    expect(
      (await s.call("POST", "/orders/SO-9/release", { body: { reason: "no such order" } })).status,
    ).toBe(404);
  });
});

describe("sales orders: the goods and the invoices", () => {
  it("follows shipments (partially shipped, shipped) and the invoice (invoiced)", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 1_000_000 });
    const placed = await s.call("POST", "/orders", {
      body: {
        number: "SO-F",
        customer: "C1",
        requestedShipDate: "2026-03-10",
        lines: [
          { sku: "SKU-1", quantity: 2, unitPrice: 100 },
          { gtin: "03012345678900", quantity: 1, unitPrice: 250 },
        ],
      },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.lines.map((l: { sku: string }) => l.sku)).toEqual(["SKU-1", "SKU-2"]);
    expect(placed.body.orderDate).toBe("2026-03-05");
    const dock = s.node("dock-1");
    dock.move("ship", "SKU-1", 1, "2026-03-06T08:00:00.000Z", { order: "SO-F", customer: "C1" });
    dock.sync();
    s.orders.afterIngest("dock-1");
    let view = (await s.call("GET", "/orders/SO-F")).body;
    expect(view.state).toBe("partially-shipped");
    expect(view.lines.map((l: { shipped: number }) => l.shipped)).toEqual([1, 0]);
    // What left is shipped-not-invoiced; the rest is still an open order.
    expect((await s.call("GET", "/credit/C1")).body.exposure.openOrders.amount).toBe(100 + 250);

    dock.move("ship", "SKU-1", 1, "2026-03-06T08:01:00.000Z", { order: "SO-F", customer: "C1" });
    dock.move("ship", "SKU-2", 1, "2026-03-06T08:01:00.000Z", { order: "SO-F", customer: "C1" });
    dock.sync();
    s.orders.afterIngest("dock-1");
    view = (await s.call("GET", "/orders/SO-F")).body;
    expect(view.state).toBe("shipped");
    expect((await s.call("GET", "/credit/C1")).body.exposure.openOrders.amount).toBe(0);

    await invoice(s, "F-9", "C1", 450, { orderRef: "SO-F" });
    expect(await state(s, "SO-F")).toBe("invoiced");
    const states = s.live.flatMap((e) => (e.type === "order" ? [e.data.state] : []));
    expect(states).toEqual(["approved", "partially-shipped", "shipped", "invoiced"]);
  });

  it("goods of a held order seen leaving raise one alert per hold and a ledger entry", async () => {
    const s = await setup();
    await s.customer("C1", undefined, { limit: 10_000 });
    await order(s, "SO-H", "C1", 20_000);
    const dock = s.node("dock-1");
    dock.move("ship", "SKU-1", 2, "2026-03-06T08:00:00.000Z", { order: "SO-H", customer: "C1" });
    dock.sync();
    const breaches = s.orders.afterIngest("dock-1");
    expect(breaches).toMatchObject([{ order: "SO-H", state: "held", items: 2, version: 1 }]);
    const alerts = s.live.flatMap((e) =>
      e.type === "alert" && e.data.code === "hold-breach" ? [e.data] : [],
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        level: "warning",
        customer: "C1",
        message: expect.stringContaining("goods left under credit hold: SO-H (Client C1), 2 items"),
      }),
    ]);
    expect(s.gatewayEntries("order.hold-breach").map((e) => e.data)).toMatchObject([
      { order: "SO-H", items: 2 },
    ]);
    // More goods under the same hold: recorded, not raised again; the order stays held.
    dock.move("ship", "SKU-1", 1, "2026-03-06T08:05:00.000Z", { order: "SO-H", customer: "C1" });
    dock.sync();
    expect(s.orders.afterIngest("dock-1")).toEqual([]);
    expect(await state(s, "SO-H")).toBe("held");
    // An order the gateway never heard of is a breach too.
    dock.move("ship", "SKU-1", 1, "2026-03-06T08:06:00.000Z", { order: "SO-X", customer: "C1" });
    dock.sync();
    expect(s.orders.afterIngest()).toMatchObject([{ order: "SO-X", state: "unknown", version: 0 }]);
  });
});

import { describe, expect, it } from "vitest";
import {
  A,
  B,
  type Counter,
  cleanupsAfterEach,
  entries,
  poll,
  setupCounter,
  snapshot,
  startCounter,
  waitForVersion,
} from "./testing/counter.js";

// The counter's POS through its HTTP API, on a real node (ledger, stock,
// sync) against a real embedded broker; the test plays the gateway.

const cleanups = cleanupsAfterEach();

const setup = (pos: Record<string, unknown> = {}) => setupCounter(cleanups, pos);

const check = (counter: Counter, amount: number) =>
  counter.call("POST", "/pos/check", { customer: "acme", amount });

describe("POS credit check (S1)", () => {
  it("blocks 900.00, approves 800.00 with 0.00 left, blocks 800.01, and records every decision", async () => {
    const { counter } = await setup();
    const standing = await counter.call("GET", "/pos/customers/acme");
    expect(standing.body).toMatchObject({
      limit: 500_000,
      exposure: 420_000,
      available: 80_000,
      overdue: 0,
    });

    const over = await check(counter, 90_000);
    expect(over.status).toBe(201);
    expect(over.body.decision).toBe("block");
    expect(over.body.reasons).toEqual([
      { code: "over-limit", message: "exposure €5,100.00 > limit €5,000.00; available €800.00" },
    ]);
    const exact = await check(counter, 80_000);
    expect(exact.body).toMatchObject({
      decision: "approve",
      figures: { availableAfter: 0, offline: false },
    });
    const cent = await check(counter, 80_001);
    expect(cent.body.decision).toBe("block");

    const decisions = await entries(counter, "credit-decision");
    expect(decisions.map((e) => (e.data as { decision: string }).decision)).toEqual([
      "block",
      "approve",
      "block",
    ]);
    expect(decisions[0]?.data).toMatchObject({
      customer: "acme",
      figures: { limit: 500_000, exposure: 420_000, amount: 90_000, snapshotVersion: 1 },
    });
    expect(decisions.map((e) => e.seq)).toEqual([over.body.seq, exact.body.seq, cent.body.seq]);
  });

  it("prices a basket of tags from the catalog and checks it", async () => {
    const { counter } = await setup();
    await counter.node.runtime.commission({ epc: A, sku: "CHAIR" });
    counter.putOnCounter(A);
    await poll(async () => (await counter.call("GET", "/pos/basket")).body.total).toBe(15_000);
    const added = await counter.call("POST", "/pos/basket/add", {
      gtin: "03453120000011",
      quantity: 2,
    });
    expect(
      added.body.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]),
    ).toEqual([
      ["CHAIR", 1],
      ["LAMP", 2],
    ]);
    expect(added.body.total).toBe(45_000);
    const removed = await counter.call("POST", "/pos/basket/remove", { epc: A });
    expect(removed.body.total).toBe(30_000);
    const oneLamp = await counter.call("POST", "/pos/basket/remove", { gtin: "03453120000011" });
    expect(oneLamp.body.lines).toMatchObject([{ sku: "LAMP", quantity: 1, lineTotal: 15_000 }]);
    const notThere = await counter.call("POST", "/pos/basket/remove", { epc: A });
    expect(notThere.status).toBe(422);
    expect(notThere.body.error).toMatchObject({ code: "not_in_basket", path: "epc" });
    const unknown = await counter.call("POST", "/pos/basket/add", { gtin: "00000000000017" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: "unknown_product", path: "gtin" });
    const decided = await counter.call("POST", "/pos/check", {
      customer: "acme",
      lines: [{ gtin: "03453120000011", quantity: 2 }],
    });
    expect(decided.body).toMatchObject({ decision: "approve", figures: { amount: 30_000 } });
  });
});

describe("POS sale", () => {
  it("refuses a blocked on-account sale (no sale, no stock change); the same basket sells for cash and leaves stock", async () => {
    const { counter } = await setup();
    const runtime = counter.node.runtime;
    await runtime.move({ epcs: [A, B], zone: "counter" });
    await runtime.commission({ epc: A, sku: "TABLE" });
    await runtime.commission({ epc: B, sku: "TABLE" });
    const stockBefore = runtime.stock();
    expect(stockBefore).toEqual([{ sku: "TABLE", zone: "counter", count: 2 }]);
    // Exposure 4 200.00 + 3 × 300.00 = 5 100.00 > 5 000.00.
    const lines = [
      { sku: "TABLE", epcs: [A, B] },
      { sku: "TABLE", quantity: 1 },
    ];
    const refused = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "credit_blocked", path: "customer" });
    expect(refused.body.decision).toMatchObject({ decision: "block", figures: { amount: 90_000 } });
    expect(await entries(counter, "sale")).toEqual([]);
    expect(runtime.stock()).toEqual(stockBefore);
    expect((await entries(counter, "credit-decision")).length).toBe(1);

    // A table's tag cannot be sold at a lamp's price.
    const mispriced = await counter.call("POST", "/pos/sale", {
      payment: "cash",
      lines: [{ sku: "LAMP", epcs: [A] }],
    });
    expect(mispriced.status).toBe(422);
    expect(mispriced.body.error).toMatchObject({ code: "wrong_product", path: "lines[0].epcs" });
    expect(runtime.stock()).toEqual(stockBefore);

    const cash = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "cash",
      lines,
    });
    expect(cash.status).toBe(201);
    expect(cash.body.sale).toMatchObject({
      payment: "cash",
      total: 90_000,
      currency: "EUR",
    });
    expect(runtime.stock()).toEqual([]);
    expect(runtime.tag(A).place).toEqual({ sku: "TABLE", gtin: "80614141123458", zone: null });
    const movements = (await entries(counter, "movement")).slice(-2).map((e) => e.data);
    expect(movements).toEqual([
      expect.objectContaining({
        epc: A,
        kind: "sale",
        from: "counter",
        to: null,
        order: cash.body.sale.id,
      }),
      expect.objectContaining({
        epc: B,
        kind: "sale",
        from: "counter",
        to: null,
        order: cash.body.sale.id,
      }),
    ]);
    // A cash sale is not exposure.
    expect((await counter.call("GET", "/pos/customers/acme")).body.exposure).toBe(420_000);
    // Selling the same tags again (a double tap) is refused.
    const again = await counter.call("POST", "/pos/sale", {
      payment: "cash",
      lines: [{ sku: "TABLE", epcs: [A] }],
    });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe("already_sold");
  });

  it("an approved on-account sale is pending exposure until the gateway stores it and a newer snapshot covers it", async () => {
    const { counter, gateway } = await setup();
    const sold = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: [{ sku: "TABLE", quantity: 1 }],
    });
    expect(sold.status).toBe(201);
    expect(sold.body.decision.decision).toBe("approve");
    const exposure = async () => (await counter.call("GET", "/pos/customers/acme")).body;
    expect(await exposure()).toMatchObject({ exposure: 450_000, pending: 30_000 });
    // A snapshot that arrives before the gateway stored the sale does not clear it.
    await gateway.snapshot(snapshot({ version: 2, outstanding: 400_000 }));
    await waitForVersion(counter, 2);
    expect(await exposure()).toMatchObject({ exposure: 430_000, pending: 30_000 });
    // Stored at the gateway: still counted until a newer snapshot includes it.
    const head = counter.node.runtime.ledger.durable.seq;
    await gateway.ack(head);
    await poll(() => counter.node.sync.ackedSeq).toBe(head);
    expect(await exposure()).toMatchObject({ exposure: 430_000, pending: 30_000 });
    await gateway.snapshot(snapshot({ version: 3, outstanding: 430_000 }));
    await waitForVersion(counter, 3);
    expect(await exposure()).toMatchObject({ exposure: 430_000, pending: 0 });
  });
});

describe("POS offline (S4)", () => {
  it("decides from the cached snapshot plus its own sales: 600.00 blocked, 150.00 approved and queued; and after a restart while offline", async () => {
    const { counter, broker } = await setup();
    // 300.00 of local on-account sales the gateway has not acknowledged.
    const local = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: [{ sku: "TABLE", quantity: 1 }],
    });
    expect(local.status).toBe(201);
    await broker.stop();
    await poll(() => counter.node.sync.connected).toBe(false);

    const big = await check(counter, 60_000);
    expect(big.body.decision).toBe("block");
    expect(big.body.figures).toMatchObject({
      exposure: 450_000,
      offline: true,
      snapshotAsOf: "2026-11-27T09:12:00.000Z",
    });
    expect(big.body.reasons.map((r: { code: string }) => r.code)).toEqual([
      "over-limit",
      "offline-cap",
    ]);
    const small = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: [{ sku: "LAMP", quantity: 1 }],
    });
    expect(small.status).toBe(201);
    expect(small.body.decision).toMatchObject({
      decision: "approve",
      figures: { offline: true, availableAfter: 35_000 },
    });
    expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
      pending: 45_000,
      offline: true,
    });

    // Restarted while still cut off: the cache and the pending sales survive.
    const { dataDir, clock } = counter;
    await counter.stop();
    const again = await startCounter(broker.url, { dataDir, clock });
    cleanups.push(() => again.stop());
    const standing = await again.call("GET", "/pos/customers/acme");
    expect(standing.body).toMatchObject({
      version: 1,
      exposure: 465_000,
      pending: 45_000,
      offline: true,
      stale: false,
    });
    const after = await again.call("POST", "/pos/check", {
      customer: "acme",
      amount: 5_001,
    });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body.reasons.map((r: { code: string }) => r.code)).toEqual(["offline-cap"]);
    expect(
      (await again.call("POST", "/pos/check", { customer: "acme", amount: 5_000 })).body.decision,
    ).toBe("approve");
    // Past the maximum age (4 h from 09:12), everything on account is blocked.
    clock.set("2026-11-27T13:12:01.000Z");
    const stale = await again.call("POST", "/pos/check", {
      customer: "acme",
      amount: 100,
    });
    expect(stale.body.reasons.map((r: { code: string }) => r.code)).toEqual(["offline-stale"]);
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HOLD_BREACH_TYPE } from "@comptoir/contracts";
import { cleanupsAfterEach, poll, removeDir } from "@comptoir/device/node/testing";
import { describe, expect, it } from "vitest";
import { CHAIR, type DockSite, SKU, startDockSite } from "./support/dock-site.js";

// Sales orders at the dock door, on the real path: the gateway decides an
// order at entry and publishes its state retained on orders/<order>; the
// portal node (reading a simulated reader over TCP, connected to the broker
// through a relay the test can cut) refuses a held order at the door, ships
// a released one, and raises "goods left under credit hold" when goods of a
// held order leave anyway — online, and cut off from the broker.

const cleanups = cleanupsAfterEach();

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the APIs, each checked by the tests' expects
type Json = any;

const today = () => new Date().toISOString().slice(0, 10);

async function site(): Promise<DockSite> {
  const root = await mkdtemp(join(tmpdir(), "comptoir-orders-dock-"));
  cleanups.push(() => removeDir(root));
  return startDockSite(root, cleanups);
}

/** One chair for acme: over its 100.00 limit, so held. */
async function placeHeldOrder(s: DockSite, number: string): Promise<Json> {
  const placed = await s.api("POST", "/orders", {
    number,
    customer: "acme",
    requestedShipDate: today(),
    lines: [{ sku: SKU, quantity: 1, unitPrice: CHAIR }],
  });
  expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
  expect(placed.body).toMatchObject({ number, state: "held" });
  expect(placed.body.credit.reasons.map((r: { code: string }) => r.code)).toContain("over-limit");
  return placed.body;
}

/** Chairs brought in through the door under a purchase order: they wait on the dock. */
async function receiveChairs(s: DockSite, count: number): Promise<string[]> {
  const epcs = s.newChairs(count);
  expect((await s.dock("PUT", "/dock/order", { order: "PO-1", customer: null })).status).toBe(200);
  await s.crossDoor(epcs, "in");
  await poll(async () => (await s.api("GET", "/stock")).body.rows).toEqual([
    { sku: SKU, zone: "dock", count },
  ]);
  return epcs;
}

/** The node's durable entries of one type. */
async function nodeEntries(s: DockSite, type: string): Promise<Json[]> {
  await s.node.runtime.ledger.flush();
  const found: Json[] = [];
  for await (const entry of s.node.runtime.ledger.readFrom(1))
    if (entry.type === type) found.push(entry);
  return found;
}

const liveStates = (s: DockSite, order: string) =>
  s.live.filter((e) => e.type === "order" && e.data.order === order).map((e) => e.data.state);
const breachAlerts = (s: DockSite) =>
  s.live.filter((e) => e.type === "alert" && e.data.code === "hold-breach").map((e) => e.data);

describe("sales orders at the dock door", () => {
  it("refuses a held order at the dock with its reasons; a payment releases it, the node learns it, and its goods leave: shipped at the gateway", async () => {
    const s = await site();
    const [chair] = await receiveChairs(s, 1);
    const held = await placeHeldOrder(s, "SO-1");

    // Once the node has the retained state, the dock door refuses the order,
    // saying why, and keeps what it had (before, the order was unknown to it
    // and allowed by the default policy: the door goes back to PO-1).
    const tryAssign = () => s.dock("PUT", "/dock/order", { order: "SO-1", customer: "acme" });
    await poll(async () => {
      const answer = await tryAssign();
      if (answer.status === 200)
        await s.dock("PUT", "/dock/order", { order: "PO-1", customer: null });
      return answer.status;
    }).toBe(422);
    const answer = await tryAssign();
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("order_held");
    expect(answer.body.error.reasons).toEqual(held.credit.reasons);
    expect((await s.dock("GET", "/dock/order")).body.order).toBe("PO-1");

    // The customer pays what releases it: released at the gateway, then at the node.
    const pay = held.credit.toRelease ?? held.total;
    const paid = await s.api("POST", "/payments", {
      id: "BANK-1",
      date: today(),
      amount: pay,
      currency: "EUR",
      customer: "acme",
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    await poll(async () => (await s.api("GET", "/orders/SO-1")).body.state).toBe("released");
    await poll(
      async () => (await s.dock("PUT", "/dock/order", { order: "SO-1", customer: "acme" })).status,
    ).toBe(200);
    expect((await s.dock("GET", "/dock/order")).body).toMatchObject({
      order: "SO-1",
      customer: "acme",
    });

    // Its chair leaves through the door: the gateway sees the order shipped.
    await s.crossDoor([chair as string], "out");
    await poll(async () => (await s.api("GET", "/orders/SO-1")).body.state).toBe("shipped");
    const shipped = (await s.api("GET", "/orders/SO-1")).body;
    expect(shipped.lines[0]).toMatchObject({ sku: SKU, quantity: 1, shipped: 1 });
    expect(await nodeEntries(s, HOLD_BREACH_TYPE)).toEqual([]);
    await poll(() => liveStates(s, "SO-1")).toEqual(["held", "released", "shipped"]);
    expect(breachAlerts(s)).toEqual([]);
  }, 90_000);

  it("goods leaving under a held order are recorded and raise the alert at the node and on the gateway's live feed", async () => {
    const s = await site();
    const chairs = await receiveChairs(s, 2);
    // Assigned before the node heard of the order (allowed, by the default policy), then held.
    expect((await s.dock("PUT", "/dock/order", { order: "SO-2", customer: "acme" })).status).toBe(
      200,
    );
    await placeHeldOrder(s, "SO-2");
    await poll(async () => (await s.dock("GET", "/dock/order")).body.state?.state).toBe("held");

    await s.crossDoor(chairs, "out");
    // The goods left: the ledger records what happened, and one breach for the order.
    await poll(async () => (await s.api("GET", "/stock")).body.rows).toEqual([]);
    await poll(async () => (await nodeEntries(s, HOLD_BREACH_TYPE)).length).toBe(1);
    const [entry] = await nodeEntries(s, HOLD_BREACH_TYPE);
    expect(entry.data).toMatchObject({
      order: "SO-2",
      customer: "acme",
      state: "held",
      offline: false,
    });
    expect(chairs).toContain(entry.data.epc);
    expect(entry.data.reasons.map((r: { code: string }) => r.code)).toContain("over-limit");
    const alert = s.nodeEvents.find((e) => e.type === "alert");
    expect(alert).toMatchObject({
      type: "alert",
      alert: { order: "SO-2", state: "held", offline: false },
    });
    await poll(() => breachAlerts(s).length).toBe(1);
    expect(breachAlerts(s)[0]).toMatchObject({ node: "dock-1", customer: "acme" });
    expect(breachAlerts(s)[0].message).toContain("SO-2");
  }, 90_000);

  it("cut off from the broker, the node still raises the alert from its cached state; the gateway's live feed gets it on reconnect", async () => {
    const s = await site();
    const chairs = await receiveChairs(s, 2);
    expect((await s.dock("PUT", "/dock/order", { order: "SO-3", customer: "acme" })).status).toBe(
      200,
    );
    await placeHeldOrder(s, "SO-3");
    await poll(async () => (await s.dock("GET", "/dock/order")).body.state?.state).toBe("held");

    s.link.cut();
    await poll(() => s.node.sync.connected).toBe(false);
    await s.crossDoor(chairs, "out");
    await poll(async () => (await nodeEntries(s, HOLD_BREACH_TYPE)).length).toBe(1);
    const [entry] = await nodeEntries(s, HOLD_BREACH_TYPE);
    expect(entry.data).toMatchObject({ order: "SO-3", state: "held", offline: true });
    expect(s.nodeEvents.find((e) => e.type === "alert")).toMatchObject({
      alert: { order: "SO-3", offline: true },
    });
    // Nothing reached the gateway while the link was down.
    expect(breachAlerts(s)).toEqual([]);

    s.link.restore();
    await poll(() => breachAlerts(s).length, { timeout: 30_000 }).toBe(1);
    expect(breachAlerts(s)[0]).toMatchObject({ node: "dock-1", customer: "acme" });
    expect(breachAlerts(s)[0].message).toContain("SO-3");
    await poll(async () => (await s.api("GET", "/stock")).body.rows).toEqual([]);
  }, 90_000);
});

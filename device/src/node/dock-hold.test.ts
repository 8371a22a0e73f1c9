import {
  type CreditReason,
  generateIdentity,
  HOLD_BREACH_TYPE,
  HoldBreachDataSchema,
  type LedgerEntry,
  type NodeEventView,
  type OrderStateMessage,
  signGatewayPayload,
  siteTopics,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import type { TestBroker } from "../sync/testing/index.js";
import { startBroker } from "../sync/testing/index.js";
import {
  cleanupsAfterEach,
  DOCK_NODE,
  DOCK_SITE,
  type DockNode,
  orderPublisher,
  poll,
  removeDir,
  startDockNode,
} from "./testing/index.js";

// Issue 15, at the dock: a real portal node against a broker, fed signed
// retained order states by a stand-in for the gateway. A held order is
// refused at the door; goods leaving under one anyway are recorded, then
// one hold-breach entry and an alert follow — online, offline, and after a
// restart from the node's persisted order cache.

const cleanups = cleanupsAfterEach();
const topics = siteTopics(DOCK_SITE);

const OVER_LIMIT: CreditReason[] = [
  { code: "over-limit", message: "over the credit limit by 50.00 (150.00 for a 100.00 limit)" },
];
const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";
const C = "3034257BF7194E4000000003";

function state(
  order: string,
  value: OrderStateMessage["state"],
  version: number,
  reasons: CreditReason[] = value === "held" ? OVER_LIMIT : [],
): OrderStateMessage {
  return {
    order,
    customer: "acme",
    customerName: "ACME Joinery",
    state: value,
    reasons,
    version,
    asOf: "2026-12-07T08:00:00.000Z",
  };
}

async function site(options: { unknownOrders?: "allow-with-alert" | "refuse" } = {}) {
  const broker = await startBroker(0);
  cleanups.push(() => broker.stop());
  const gateway = await orderPublisher(broker.url);
  cleanups.push(() => gateway.close());
  const dock = await start(broker, gateway.identity.publicKeyHex, options);
  return { broker, gateway, dock };
}

async function start(
  broker: TestBroker | { url: string },
  gatewayKey: string,
  options: {
    unknownOrders?: "allow-with-alert" | "refuse";
    dataDir?: string;
    from?: DockNode;
  } = {},
): Promise<DockNode & { events: NodeEventView[] }> {
  const dock = await startDockNode(broker.url, {
    gatewayKey,
    ...(options.unknownOrders ? { unknownOrders: options.unknownOrders } : {}),
    ...(options.from ? { dataDir: options.from.dataDir, clock: options.from.clock } : {}),
  });
  if (!options.from) cleanups.push(() => removeDir(dock.dataDir));
  let stopped = false;
  cleanups.push(() => (stopped ? Promise.resolve() : dock.stop()));
  const events: NodeEventView[] = [];
  dock.node.runtime.subscribe((event) => {
    if (event.type === "alert" || event.type === "dock") events.push(event);
  });
  return {
    ...dock,
    events,
    stop: async () => {
      stopped = true;
      await dock.stop();
    },
  };
}

async function entriesOf(dock: DockNode, type?: string): Promise<LedgerEntry[]> {
  await dock.node.runtime.ledger.flush();
  const all: LedgerEntry[] = [];
  for await (const entry of dock.node.runtime.ledger.readFrom(1)) all.push(entry);
  return type ? all.filter((entry) => entry.type === type) : all;
}

/** Waits until the node holds this version of the order (it arrives retained, asynchronously). */
async function holds(dock: DockNode, order: string, version: number) {
  await poll(() => dock.node.runtime.orderStateOf(order).version).toBe(version);
}

describe("a held order at the dock door", () => {
  it("is refused with the hold's reasons; once released it is accepted, and shows its state", async () => {
    const { gateway, dock } = await site();
    await poll(() => dock.node.sync.connected).toBe(true);
    await gateway.publish(state("SO-1", "held", 1));
    await holds(dock, "SO-1", 1);

    const refused = await dock.call("PUT", "/dock/order", { order: "SO-1", customer: null });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      error: {
        code: "order_held",
        message:
          "order SO-1 (ACME Joinery) is held for credit: over the credit limit by 50.00 (150.00 for a 100.00 limit) — it may go to the dock once released",
        path: "order",
        reasons: OVER_LIMIT,
      },
    });
    expect(dock.node.runtime.dockOrder()).toEqual({ order: null, customer: null });

    await gateway.publish(state("SO-1", "released", 2));
    await holds(dock, "SO-1", 2);
    const accepted = await dock.call("PUT", "/dock/order", { order: "SO-1", customer: null });
    expect(accepted.status).toBe(200);
    // The order's customer fills the empty one; the page sees the state next to the order.
    expect(accepted.body).toMatchObject({
      order: "SO-1",
      customer: "acme",
      state: { state: "released", customerName: "ACME Joinery", version: 2, reasons: [] },
    });
    // Released goods leave with nothing more than their movements.
    dock.ship([A]);
    await poll(async () => (await entriesOf(dock, "movement")).length).toBe(1);
    expect(await entriesOf(dock, HOLD_BREACH_TYPE)).toEqual([]);
    expect(dock.events.filter((event) => event.type === "alert")).toEqual([]);
  });

  it("a cancelled order is refused too; clearing the dock is always allowed", async () => {
    const { gateway, dock } = await site();
    await gateway.publish(state("SO-2", "cancelled", 4));
    await holds(dock, "SO-2", 4);
    const refused = await dock.call("PUT", "/dock/order", { order: "SO-2", customer: null });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("order_held");
    expect(refused.body.error.message).toContain("SO-2 (ACME Joinery) is cancelled");
    expect((await dock.call("PUT", "/dock/order", { order: null })).status).toBe(200);
  });

  it("the gateway's dock-order command is refused the same way", async () => {
    const { gateway, dock } = await site();
    await gateway.publish(state("SO-3", "held", 1));
    await gateway.publish(state("SO-4", "approved", 1));
    await holds(dock, "SO-3", 1);
    await holds(dock, "SO-4", 1);
    const command = async (order: string) => {
      const topic = topics.nodeCmd(DOCK_NODE);
      const message = { type: "dock-order", order, customer: "acme" };
      await gateway.client.publishAsync(
        topic,
        signGatewayPayload(gateway.identity, topic, message),
        { qos: 1 },
      );
    };
    await command("SO-3");
    await command("SO-4");
    // Commands are taken in order: once SO-4 is set, SO-3 was seen, and refused.
    await poll(() => dock.node.runtime.dockOrder().order).toBe("SO-4");
    const set = dock.events.flatMap((event) => (event.type === "dock" ? [event.dock.order] : []));
    expect(set).toEqual(["SO-4"]);
  });
});

describe("an order the node never heard of", () => {
  it("is assigned under allow-with-alert, and its goods leaving raise the alert", async () => {
    const { dock } = await site();
    const set = await dock.call("PUT", "/dock/order", { order: "SO-9", customer: "acme" });
    expect(set.status).toBe(200);
    expect(set.body.state).toMatchObject({ state: "unknown", version: 0 });
    dock.ship([A, B]);
    await poll(async () => (await entriesOf(dock, HOLD_BREACH_TYPE)).length).toBe(1);
    const [breach] = await entriesOf(dock, HOLD_BREACH_TYPE);
    expect(breach?.data).toMatchObject({ order: "SO-9", customer: "acme", state: "unknown" });
    await poll(() => dock.events.filter((event) => event.type === "alert").length).toBe(1);
  });

  it("is refused under refuse, with order_unknown", async () => {
    const { dock } = await site({ unknownOrders: "refuse" });
    const refused = await dock.call("PUT", "/dock/order", { order: "SO-9", customer: null });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "order_unknown", reasons: [] });
    expect(dock.node.runtime.dockOrder().order).toBeNull();
  });
});

/** Assigns SO-7 while it is approved, then the hold arrives: the dock keeps its order. */
async function heldWhileAssigned(
  gateway: Awaited<ReturnType<typeof site>>["gateway"],
  dock: DockNode,
) {
  await gateway.publish(state("SO-7", "approved", 1));
  await holds(dock, "SO-7", 1);
  expect((await dock.call("PUT", "/dock/order", { order: "SO-7", customer: null })).status).toBe(
    200,
  );
  await gateway.publish(state("SO-7", "held", 2));
  await holds(dock, "SO-7", 2);
}

async function expectOneBreach(dock: DockNode & { events: NodeEventView[] }, offline: boolean) {
  await poll(async () => (await entriesOf(dock, "movement")).length).toBe(3);
  await poll(async () => (await entriesOf(dock, HOLD_BREACH_TYPE)).length).toBe(1);
  // Give any extra entry a chance to show up before saying there is none.
  dock.ship([]);
  await dock.node.runtime.ledger.flush();
  const all = await entriesOf(dock);
  const shipped = all.filter((entry) => entry.type === "movement");
  const breaches = all.filter((entry) => entry.type === HOLD_BREACH_TYPE);
  expect(shipped.map((entry) => entry.data)).toEqual(
    [A, B, C].map((epc) => expect.objectContaining({ epc, kind: "ship", order: "SO-7" })),
  );
  expect(breaches).toHaveLength(1);
  const breach = HoldBreachDataSchema.parse(breaches[0]?.data);
  expect(breach).toMatchObject({
    order: "SO-7",
    customer: "acme",
    state: "held",
    reasons: OVER_LIMIT,
    version: 2,
    offline,
  });
  // The ledger records what happened: the breach comes after the first movement.
  expect(breaches[0]?.seq).toBeGreaterThan(shipped[0]?.seq ?? Infinity);
  await poll(() => dock.events.filter((event) => event.type === "alert")).toHaveLength(1);
  const alert = dock.events.find((event) => event.type === "alert");
  expect(alert).toMatchObject({
    type: "alert",
    alert: {
      kind: "hold-breach",
      order: "SO-7",
      message:
        "goods left under credit hold: SO-7 (ACME Joinery) — over the credit limit by 50.00 (150.00 for a 100.00 limit)",
      offline,
      seq: breaches[0]?.seq,
    },
  });
  // A page opened later finds it in its initial data.
  const info = await dock.call("GET", "/node");
  expect(info.body.alerts).toEqual([
    expect.objectContaining({ order: "SO-7", seq: breaches[0]?.seq }),
  ]);
}

describe("goods leaving under a hold", () => {
  it("are recorded, then one hold-breach entry per order and one alert follow (online)", async () => {
    const { gateway, dock } = await site();
    await heldWhileAssigned(gateway, dock);
    expect(dock.events.at(-1)).toMatchObject({
      type: "dock",
      dock: { order: "SO-7", state: { state: "held", reasons: OVER_LIMIT } },
    });
    dock.ship([A, B]);
    dock.ship([C]);
    await expectOneBreach(dock, false);
    // Released later: nothing more happens.
    await gateway.publish(state("SO-7", "released", 3));
    await holds(dock, "SO-7", 3);
    expect(await entriesOf(dock, HOLD_BREACH_TYPE)).toHaveLength(1);
  });

  it("the same with the node cut off from the broker, from its cache", async () => {
    const { broker, gateway, dock } = await site();
    await heldWhileAssigned(gateway, dock);
    await broker.stop();
    await poll(() => dock.node.sync.connected).toBe(false);
    dock.ship([A, B]);
    dock.ship([C]);
    await expectOneBreach(dock, true);
  });

  it("the same after a restart while cut off, from the persisted cache and dock assignment", async () => {
    const { broker, gateway, dock } = await site();
    await heldWhileAssigned(gateway, dock);
    await broker.stop();
    await dock.stop();
    // Nothing listens there any more: the node starts offline.
    const again = await start({ url: broker.url }, gateway.identity.publicKeyHex, { from: dock });
    cleanups.push(() => removeDir(dock.dataDir));
    expect(again.node.sync.connected).toBe(false);
    expect((await again.call("GET", "/dock/order")).body).toMatchObject({
      order: "SO-7",
      state: { state: "held", version: 2 },
    });
    // Still refused from the cache, while the dock keeps its order.
    const refused = await again.call("PUT", "/dock/order", { order: "SO-7", customer: null });
    expect(refused.status).toBe(422);
    again.ship([A, B]);
    again.ship([C]);
    await expectOneBreach(again, true);
  });
});

describe("a bad order message", () => {
  it("unsigned, signed by another key, for another order or invalid: changes nothing", async () => {
    const { gateway, dock } = await site();
    await gateway.publish(state("SO-5", "approved", 1));
    await holds(dock, "SO-5", 1);
    const refusals: string[] = [];
    dock.node.sync.on("refused", (_topic, problem) => refusals.push(problem));
    const topic = topics.order("SO-5");
    const send = (payload: string) =>
      gateway.client.publishAsync(topic, payload, { qos: 1, retain: true });
    // Unsigned; signed by another key; not JSON; invalid (version 0); another order's state.
    await send(JSON.stringify(state("SO-5", "held", 5)));
    await send(signGatewayPayload(generateIdentity(), topic, { ...state("SO-5", "held", 6) }));
    await send("{not json");
    await send(
      signGatewayPayload(gateway.identity, topic, { ...state("SO-5", "held", 7), version: 0 }),
    );
    await send(signGatewayPayload(gateway.identity, topic, { ...state("SO-6", "held", 8) }));
    await poll(() => refusals.length).toBe(5);
    expect(refusals).toEqual([
      expect.stringContaining("not from the gateway"),
      expect.stringContaining("not from the gateway"),
      expect.any(String),
      expect.stringContaining("version"),
      "state of order SO-6 on the topic of SO-5",
    ]);
    expect(dock.node.runtime.orderStateOf("SO-5")).toMatchObject({ state: "approved", version: 1 });
    expect(dock.node.runtime.orderStateOf("SO-6")).toMatchObject({ state: "unknown" });
    expect((await dock.call("PUT", "/dock/order", { order: "SO-5", customer: null })).status).toBe(
      200,
    );
  });
});

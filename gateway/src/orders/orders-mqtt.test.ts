import {
  GENESIS_PREV,
  generateIdentity,
  type LiveAlert,
  type OrderStateMessage,
  OrderStateMessageSchema,
  sealEntry,
  siteTopics,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import {
  CreditService,
  createGatewayApp,
  EventHub,
  GATEWAY_CHAIN,
  GatewayLedger,
  TokenStore,
} from "../index.js";
import { poster } from "../testing/api.js";
import {
  cleanupAfterEach,
  connectedNode,
  embeddedBroker,
  eventually,
  startIngest,
} from "../testing/broker.js";
import { OrderStatePublisher } from "./publisher.js";
import { OrderService } from "./service.js";

const SITE = "site-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();

/**
 * A gateway as GatewayCore wires orders: the order service publishing on the
 * broker, ingest whose outcomes call `orders.afterIngest()`, and a dock
 * node's MQTT client following `orders/+`.
 */
async function site() {
  const gateway = await embeddedBroker(defer, { site: SITE });
  const { store, credentials, bus } = gateway;
  const ledger = new GatewayLedger(store, generateIdentity());
  const events = new EventHub();
  const alerts: LiveAlert[] = [];
  events.subscribe((event) => {
    if (event.type === "alert") alerts.push(event.data);
  });
  const credit = new CreditService({ store, ledger, bus, site: SITE, events });
  const orders = new OrderService({
    store,
    ledger,
    credit,
    events,
    publisher: new OrderStatePublisher(bus, SITE),
  });
  await startIngest(defer, {
    bus,
    site: SITE,
    store,
    onOutcome: (node, outcome) => {
      if (outcome.kind !== "ack") return;
      credit.afterIngest(node);
      orders.afterIngest(node);
    },
  });
  const tokens = new TokenStore(store.db, ledger);
  const admin = tokens.create("admin", "test", { kind: "system", id: "test" }).token;
  const app = createGatewayApp({ store, ledger, tokens, credit, orders, events, credentials });
  const post = poster(app, admin);
  const { client, send } = await connectedNode(defer, gateway, "dock-1");
  const states: OrderStateMessage[] = [];
  client.on("message", (_topic, payload) => {
    states.push(OrderStateMessageSchema.parse(JSON.parse(payload.toString())));
  });
  const entries = (type: string) =>
    [...store.entries(GATEWAY_CHAIN)].filter((entry) => entry.type === type);
  return { post, client, send, states, alerts, entries };
}

describe("sales orders on MQTT (real embedded broker)", () => {
  it("the dock learns a hold, goods leaving under it raise the alert, a payment releases it", async () => {
    const s = await site();
    const today = new Date().toISOString().slice(0, 10);
    await s.post("/customers", {
      id: "C1",
      name: "Client 1",
      creditLimit: { amount: 20_000, currency: "EUR" },
      paymentTermsDays: 30,
    });
    await s.post("/products", {
      sku: "SKU-1",
      name: "Widget",
      unitPrice: { amount: 100, currency: "EUR" },
      unitCost: { amount: 50, currency: "EUR" },
    });
    await s.post("/invoices", {
      number: "F-1",
      direction: "customer",
      type: "invoice",
      issueDate: today,
      currency: "EUR",
      customer: "C1",
      lines: [],
      netTotal: 10_000,
      vatTotal: 0,
      grossTotal: 10_000,
      amountDue: 10_000,
    });
    const held = (await s.post("/orders", {
      number: "SO-1",
      customer: "C1",
      requestedShipDate: today,
      lines: [{ sku: "SKU-1", quantity: 150, unitPrice: 100 }],
    })) as { state: string };
    expect(held.state).toBe("held");

    // Retained: a dock that subscribes later still learns the hold.
    await s.client.subscribeAsync(topics.allOrders(), { qos: 1 });
    await eventually(() => s.states.length >= 1);
    expect(s.states[0]).toMatchObject({
      order: "SO-1",
      customer: "C1",
      state: "held",
      version: 1,
      reasons: [{ code: "over-limit" }],
    });

    const { entry } = sealEntry({
      seq: 1,
      ts: new Date().toISOString(),
      chain: "dock-1",
      type: "movement",
      prev: GENESIS_PREV,
      data: {
        epc: "3034257BF7194E4000000001",
        sku: "SKU-1",
        kind: "ship",
        from: "dock",
        to: null,
        reader: "portal-1",
        antennas: [1],
        reads: 3,
        at: new Date().toISOString(),
        customer: "C1",
        order: "SO-1",
      },
    });
    await s.send([entry]);
    await eventually(() => s.alerts.some((alert) => alert.code === "hold-breach"));
    expect(s.alerts.find((alert) => alert.code === "hold-breach")).toMatchObject({
      level: "warning",
      customer: "C1",
      message: expect.stringContaining("goods left under credit hold: SO-1 (Client 1), 1 item"),
    });
    expect(s.entries("order.hold-breach")).toHaveLength(1);

    await s.post("/payments", {
      id: "P-1",
      date: today,
      amount: 10_000,
      currency: "EUR",
      customer: "C1",
    });
    // Released, and with one item already gone, partially shipped: the dock gets the newest.
    await eventually(() => s.states.at(-1)?.state === "partially-shipped");
    expect(s.states.at(-1)?.version).toBeGreaterThan(1);
    expect(s.entries("order.released").map((e) => e.data)).toMatchObject([
      { order: "SO-1", override: false, cause: { kind: "receivables" } },
    ]);
  });
});

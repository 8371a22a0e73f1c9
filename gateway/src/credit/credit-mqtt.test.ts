import {
  type Catalog,
  CatalogSchema,
  type CreditSnapshot,
  CreditSnapshotSchema,
  GENESIS_PREV,
  generateIdentity,
  sealEntry,
  siteTopics,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { CreditService, createGatewayApp, GatewayLedger, TokenStore } from "../index.js";
import { poster } from "../testing/api.js";
import {
  cleanupAfterEach,
  connectedNode,
  embeddedBroker,
  eventually,
  startIngest,
} from "../testing/broker.js";

const SITE = "site-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();

/**
 * A gateway as GatewayCore wires it: store, embedded broker, ingest whose
 * outcomes call `credit.afterIngest()`, the HTTP API on the same credit
 * service; and a counter node's MQTT client following `credit/+` and `catalog`.
 */
async function site() {
  const gateway = await embeddedBroker(defer, { site: SITE });
  const { store, credentials, bus } = gateway;
  const ledger = new GatewayLedger(store, generateIdentity());
  const credit = new CreditService({ store, ledger, bus, site: SITE });
  await startIngest(defer, {
    bus,
    site: SITE,
    store,
    onOutcome: (node, outcome) => {
      if (outcome.kind === "ack" && outcome.stored > 0) credit.afterIngest(node);
    },
  });
  const tokens = new TokenStore(store.db, ledger);
  const admin = tokens.create("admin", "test", { kind: "system", id: "test" }).token;
  const app = createGatewayApp({ store, ledger, tokens, credit, credentials });
  const post = poster(app, admin);

  const put = (path: string, body: unknown) =>
    app.request(`/api/v1${path}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  const { client, send } = await connectedNode(defer, gateway, "pos-1");
  const snapshots: CreditSnapshot[] = [];
  const catalogs: Catalog[] = [];
  client.on("message", (topic, payload) => {
    const message = JSON.parse(payload.toString()) as unknown;
    if (topic === topics.catalog()) catalogs.push(CatalogSchema.parse(message));
    else snapshots.push(CreditSnapshotSchema.parse(message));
  });
  return { store, credit, post, put, client, send, snapshots, catalogs };
}

describe("credit snapshots on MQTT (real embedded broker)", () => {
  it("retains every customer's snapshot and the catalog at start; a payment publishes a new version", async () => {
    const s = await site();
    await s.post("/customers", {
      id: "C1",
      name: "Client 1",
      creditLimit: { amount: 500000, currency: "EUR" },
      paymentTermsDays: 30,
    });
    await s.post("/products", {
      sku: "SKU-1",
      gtin: "03453120000011",
      gtins: ["03453120000028"],
      name: "Widget",
      unitPrice: { amount: 1250, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    });
    await s.post("/invoices", {
      number: "F-1",
      direction: "customer",
      type: "invoice",
      // Issued today, due in 30 days: nothing overdue.
      issueDate: new Date().toISOString().slice(0, 10),
      currency: "EUR",
      customer: "C1",
      lines: [],
      netTotal: 380000,
      vatTotal: 0,
      grossTotal: 380000,
      amountDue: 380000,
    });
    await s.credit.publishAll();

    // A counter that connects later still gets the figures: they are retained.
    await s.client.subscribeAsync([topics.allCredit(), topics.catalog()], { qos: 1 });
    await eventually(() => s.snapshots.length >= 1 && s.catalogs.length >= 1);
    const first = s.snapshots.at(-1) as CreditSnapshot;
    expect(first).toMatchObject({
      customer: "C1",
      limit: 500000,
      outstanding: 380000,
      status: "ok",
      policy: { overdueFloor: 5000, overdueDays: 30, offlineCap: 50000 },
    });
    // Every GTIN of the product goes to the counters, so an SGTIN tag of any of them is priced.
    expect(s.catalogs.at(-1)?.products).toEqual([
      {
        sku: "SKU-1",
        gtin: "03453120000011",
        gtins: ["03453120000028"],
        name: "Widget",
        unitPrice: 1250,
        // The catalog's cost by default: a counter flags a line sold under it.
        unitCost: 700,
      },
    ]);

    await s.post("/payments", {
      id: "P-1",
      date: "2026-03-01",
      amount: 100000,
      currency: "EUR",
      customer: "C1",
      label: "F-1",
    });
    await eventually(() => (s.snapshots.at(-1)?.outstanding ?? 0) === 280000);
    const after = s.snapshots.at(-1) as CreditSnapshot;
    expect(after.version).toBeGreaterThan(first.version);
    expect(Date.parse(after.asOf)).toBeGreaterThanOrEqual(Date.parse(first.asOf));

    // A new limit reaches the counters too.
    const changed = await s.put("/customers/C1", {
      name: "Client 1",
      creditLimit: { amount: 300000, currency: "EUR" },
      paymentTermsDays: 30,
    });
    expect(changed.status).toBe(200);
    await eventually(() => s.snapshots.at(-1)?.limit === 300000);
    expect((s.snapshots.at(-1) as CreditSnapshot).version).toBeGreaterThan(after.version);
  });

  it("a counter sale synced over MQTT republishes the customer's snapshot", async () => {
    const s = await site();
    await s.post("/customers", {
      id: "C2",
      name: "Client 2",
      creditLimit: { amount: 100000, currency: "EUR" },
      paymentTermsDays: 30,
    });
    await s.client.subscribeAsync(topics.credit("C2"), { qos: 1 });
    await eventually(() => s.snapshots.length >= 1);
    const before = s.snapshots.at(-1) as CreditSnapshot;
    expect(before.outstanding).toBe(0);

    const { entry } = sealEntry({
      seq: 1,
      ts: new Date().toISOString(),
      chain: "pos-1",
      type: "sale",
      prev: GENESIS_PREV,
      data: {
        id: "pos-1-1",
        payment: "account",
        customer: "C2",
        clerk: "alice",
        currency: "EUR",
        lines: [
          { sku: "SKU-1", name: "Widget", epcs: [], quantity: 2, unitPrice: 1250, lineTotal: 2500 },
        ],
        total: 2500,
        at: new Date().toISOString(),
      },
    });
    await s.send([entry]);
    await eventually(() => (s.snapshots.at(-1)?.outstanding ?? 0) === 2500);
    expect((s.snapshots.at(-1) as CreditSnapshot).version).toBeGreaterThan(before.version);
  });

  it("items shipped to the customer, then a price change of that SKU, republish its snapshot", async () => {
    const s = await site();
    await s.post("/customers", {
      id: "C3",
      name: "Client 3",
      creditLimit: { amount: 100000, currency: "EUR" },
      paymentTermsDays: 30,
    });
    const product = (price: number) => ({
      name: "Widget",
      unitPrice: { amount: price, currency: "EUR" },
      unitCost: { amount: 700, currency: "EUR" },
    });
    await s.post("/products", { sku: "SKU-9", ...product(1000) });
    await s.client.subscribeAsync(topics.credit("C3"), { qos: 1 });
    const ship = (seq: number, prev: string) =>
      sealEntry({
        seq,
        ts: new Date().toISOString(),
        chain: "pos-1",
        type: "movement",
        prev,
        data: {
          epc: `3034257BF7194E400000000${seq}`,
          sku: "SKU-9",
          kind: "ship",
          from: "dock",
          to: null,
          reader: "r1",
          antennas: [1],
          reads: 2,
          at: new Date().toISOString(),
          customer: "C3",
          order: "SO-1",
        },
      }).entry;
    const first = ship(1, GENESIS_PREV);
    await s.send([first, ship(2, first.hash)]);
    await eventually(() => s.snapshots.at(-1)?.outstanding === 2000);
    const res = await s.put("/products/SKU-9", product(1500));
    expect(res.status).toBe(200);
    await eventually(() => s.snapshots.at(-1)?.outstanding === 3000);
  });
});

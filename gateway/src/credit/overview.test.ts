import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, ManualClock } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  CreditService,
  EventHub,
  GATEWAY_CHAIN,
  GatewayLedger,
  type GatewayServer,
  Store,
  serveGateway,
  TokenStore,
} from "../index.js";

// The overview's credit figure and over-limit alerts against a real gateway
// (SQLite in a temp dir, the HTTP API and /ws on an ephemeral port).

const T0 = "2026-03-02T10:00:00.000Z";
const SYSTEM = { kind: "system", id: "test" } as const;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-credit-overview-"));
  const clock = new ManualClock(T0);
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const admin = tokens.create("admin", "admin", SYSTEM).token;
  const viewer = tokens.create("viewer", "screen", SYSTEM).token;
  const warehouse = tokens.create("warehouse", "dock", SYSTEM).token;
  const events = new EventHub({ clock });
  const credit = new CreditService({ store, ledger, clock, events });
  const server: GatewayServer = await serveGateway(
    {
      store,
      ledger,
      tokens,
      events,
      clock,
      credit,
      catalog: credit.catalog,
      brokerState: () => ({ state: "up" }),
    },
    { host: "127.0.0.1", port: 0 },
  );
  cleanups.push(async () => {
    await server.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const call = async (method: string, path: string, body?: unknown, token = admin) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely; assertions check them
    return { status: res.status, body: (await res.json()) as any };
  };
  const entries = (type: string) =>
    [...store.entries(GATEWAY_CHAIN)].filter((entry) => entry.type === type);
  return { store, ledger, clock, credit, server, call, entries, admin, viewer, warehouse };
}
type Setup = Awaited<ReturnType<typeof setup>>;

async function customer(s: Setup, id: string, limit: number | "unlimited") {
  const res = await s.call("POST", "/api/v1/customers", {
    id,
    name: `Client ${id}`,
    creditLimit: limit === "unlimited" ? limit : { amount: limit, currency: "EUR" },
    paymentTermsDays: 30,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function invoice(s: Setup, number: string, customerId: string, amount: number) {
  const res = await s.call("POST", "/api/v1/invoices", {
    number,
    direction: "customer",
    type: "invoice",
    issueDate: "2026-02-20",
    dueDate: "2026-03-30",
    currency: "EUR",
    customer: customerId,
    // A service line: it bills none of the goods shipped below.
    lines: [{ id: "1", sku: "SRV-1", quantity: 1, unitPrice: amount, netAmount: amount }],
    netTotal: amount,
    vatTotal: 0,
    grossTotal: amount,
    amountDue: amount,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function pay(s: Setup, id: string, customerId: string, amount: number) {
  const res = await s.call("POST", "/api/v1/payments", {
    id,
    date: "2026-03-01",
    amount,
    currency: "EUR",
    customer: customerId,
    label: "",
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** Items shipped to a customer through a dock portal, stored as ingest stores a batch. */
function dock(s: Setup, node: string) {
  s.store.enrollNode(node, generateIdentity().publicKeyHex);
  const sealer = chainSealer(node);
  const ts = (seq: number) => new Date(Date.parse(T0) - 3600_000 + seq * 1000).toISOString();
  return (customerId: string, count: number) => {
    const batch: LedgerEntry[] = [];
    for (let i = 0; i < count; i++) {
      const seq = sealer.head().seq + 1;
      const data = {
        epc: `3034257BF7194E40${seq.toString(16).toUpperCase().padStart(8, "0")}`,
        sku: "SKU-1",
        kind: "ship",
        from: "dock",
        to: null,
        reader: "r1",
        antennas: [1],
        reads: 2,
        at: "2026-03-01T08:00:00.000Z",
        customer: customerId,
      };
      batch.push(sealer.seal("movement", data, ts));
    }
    s.store.appendEntries(node, batch);
    s.credit.afterIngest(node);
  };
}

/** The alerts of the live feed, as a client of /ws receives them. */
async function liveAlerts(s: Setup) {
  const ws = new WebSocket(`${s.server.url.replace("http", "ws")}/ws`);
  cleanups.push(() => ws.close());
  const alerts: { level: string; message: string; customer?: string; code?: string }[] = [];
  // Signed in (by the first message, never the URL) once the snapshot comes.
  const snapshot = new Promise((resolve) => ws.once("message", resolve));
  ws.on("message", (raw) => {
    const message = JSON.parse(String(raw)) as { type: string; data: (typeof alerts)[number] };
    if (message.type === "alert") alerts.push(message.data);
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send(JSON.stringify({ type: "auth", token: s.viewer }));
  await snapshot;
  return alerts;
}

/** The exposures GET /api/v1/credit/:customer answers, summed. */
async function sumOfStatements(s: Setup, customers: string[]) {
  let sum = 0;
  for (const id of customers) {
    const statement = await s.call("GET", `/api/v1/credit/${id}`);
    expect(statement.status).toBe(200);
    sum += statement.body.exposure.total;
  }
  return sum;
}

const until = async <T>(read: () => T, done: (value: T) => boolean) => {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("the overview's credit exposure and over-limit alerts", () => {
  it("sums the customers' exposures as GET /credit/:customer has them, and alerts once per crossing of a limit", async () => {
    const s = await setup();
    const res = await s.call("POST", "/api/v1/products", {
      sku: "SKU-1",
      name: "Hex bolt",
      unitPrice: { amount: 10000, currency: "EUR" },
      unitCost: { amount: 5000, currency: "EUR" },
    });
    expect(res.status).toBe(201);
    await customer(s, "C1", 100000);
    await customer(s, "C2", 50000);
    await customer(s, "C3", "unlimited");
    const alerts = await liveAlerts(s);
    const ship = dock(s, "dock-1");

    // Every component: open invoices, shipped not invoiced, an unapplied payment.
    await invoice(s, "F-1", "C1", 60000);
    await invoice(s, "F-2", "C2", 30000);
    ship("C2", 2); // 200.00 shipped, not invoiced: C2 stands exactly at its limit (allowed)
    await invoice(s, "F-3", "C3", 200000);
    await pay(s, "P-1", "C3", 250000); // 500.00 more than C3 owes: unapplied
    const customers = ["C1", "C2", "C3"];
    let overview = await s.call("GET", "/dashboard/credit");
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      currency: "EUR",
      exposure: 60000 + 50000 - 50000,
      customers: 3,
      overLimit: [],
    });
    expect(overview.body.exposure).toBe(await sumOfStatements(s, customers));

    // Invoices take C1 750.96 over its 1 000.00; C3 owes far more but is unlimited.
    await invoice(s, "F-4", "C1", 115096);
    await invoice(s, "F-5", "C3", 900000);
    const first = await until(
      () => alerts,
      (list) => list.length >= 1,
    );
    expect(first[0]).toMatchObject({ level: "warning", customer: "C1", code: "over-limit" });
    expect(first[0]?.message).toBe(
      "over credit limit: Client C1 (C1), exposure €1,750.96 > limit €1,000.00, €750.96 over",
    );
    overview = await s.call("GET", "/dashboard/credit");
    expect(overview.body.exposure).toBe(await sumOfStatements(s, customers));
    expect(overview.body.overLimit).toEqual([
      {
        customer: "C1",
        name: "Client C1",
        currency: "EUR",
        exposure: 175096,
        limit: 100000,
        over: 75096,
        since: T0,
        message: first[0]?.message,
      },
    ]);

    // Still over after another invoice and a republish of everything: no second alert.
    s.clock.advance(60_000);
    await invoice(s, "F-6", "C1", 1000);
    await s.credit.publishAll();
    // The next alert is C2's own crossing (a shipment), not C1 again.
    ship("C2", 1);
    await until(
      () => alerts,
      (list) => list.length >= 2,
    );
    expect(alerts.map((alert) => [alert.customer, alert.code])).toEqual([
      ["C1", "over-limit"],
      ["C2", "over-limit"],
    ]);
    expect(alerts[1]?.message).toContain("exposure €600.00 > limit €500.00, €100.00 over");
    overview = await s.call("GET", "/dashboard/credit");
    expect(overview.body.exposure).toBe(await sumOfStatements(s, customers));
    expect(
      overview.body.overLimit.map((o: { customer: string; over: number; since: string }) => [
        o.customer,
        o.over,
        o.since,
      ]),
    ).toEqual([
      ["C1", 76096, T0],
      ["C2", 10000, "2026-03-02T10:01:00.000Z"],
    ]);

    // A payment brings C1 back within: said once on the feed, no longer current on the overview.
    await pay(s, "P-2", "C1", 100000);
    await until(
      () => alerts,
      (list) => list.length >= 3,
    );
    expect(alerts[2]).toMatchObject({ level: "info", customer: "C1", code: "within-limit" });
    expect(alerts[2]?.message).toBe(
      "back within credit limit: Client C1 (C1), exposure €760.96 ≤ limit €1,000.00",
    );
    overview = await s.call("GET", "/dashboard/credit");
    expect(overview.body.exposure).toBe(await sumOfStatements(s, customers));
    expect(overview.body.overLimit.map((o: { customer: string }) => o.customer)).toEqual(["C2"]);

    // Over again: a new crossing, a new alert.
    await invoice(s, "F-7", "C1", 50000);
    await until(
      () => alerts,
      (list) => list.length >= 4,
    );
    expect(alerts[3]).toMatchObject({ customer: "C1", code: "over-limit" });
    expect(s.entries("credit.over-limit").map((entry) => entry.data)).toMatchObject([
      { customer: "C1", exposure: 175096, limit: 100000, over: 75096 },
      { customer: "C2", exposure: 60000, limit: 50000, over: 10000 },
      { customer: "C1", exposure: 126096, limit: 100000, over: 26096 },
    ]);
    expect(s.entries("credit.within-limit").map((entry) => entry.data)).toMatchObject([
      { customer: "C1", exposure: 76096, limit: 100000 },
    ]);

    // The figures are credit data: a role without credit:read gets none.
    expect((await s.call("GET", "/dashboard/credit", undefined, s.warehouse)).status).toBe(403);
  });

  it("raises no alert again after a restart while the customer is still over", async () => {
    const s = await setup();
    await customer(s, "C1", 10000);
    const alerts = await liveAlerts(s);
    await invoice(s, "F-1", "C1", 12000);
    await until(
      () => alerts,
      (list) => list.length >= 1,
    );
    // A second service over the same store, as after a restart: it publishes every snapshot.
    const events = new EventHub({ clock: s.clock });
    const again: unknown[] = [];
    events.subscribe((event) => again.push(event));
    const restarted = new CreditService({
      store: s.store,
      ledger: s.ledger,
      clock: s.clock,
      events,
    });
    await restarted.publishAll();
    expect(again).toEqual([]);
    expect(s.entries("credit.over-limit")).toHaveLength(1);
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, ManualClock } from "@comptoir/contracts";
import { hashPin, type RunningNode, startNode } from "@comptoir/device";
import { poll, removeDir, terminalClient, testClerks } from "@comptoir/device/node/testing";
import { GatewayConfigSchema, NodeConfigSchema } from "@comptoir/firmware-config";
import { GATEWAY_CHAIN, GatewayCore } from "@comptoir/gateway";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type CuttableLink, cuttableLink } from "./support/cuttable-link.js";

// Counter nodes cut off from the real gateway (embedded broker, credit
// service) by a relay each, selling on account to one customer: each stops
// at its own offline cap; back online, every sale reaches the gateway once
// and in order, none is voided, and the sales that took the customer over
// the limit are named in an alert.

const SITE = "lyon-1";
const CHAIR = 15_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the APIs, each checked by the tests' expects
type Json = any;

interface Counter {
  id: string;
  node: RunningNode;
  clock: ManualClock;
  link: CuttableLink;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
}

/** The gateway with one customer (limit 600.00, nothing owed) and a 150.00 chair in the catalog. */
async function startSite(root: string) {
  const gateway = await GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site: SITE },
      mqtt: { embedded: { port: 0 } },
      http: { listen: "127.0.0.1:0" },
      // The defaults, said out loud: the test depends on them.
      credit: { offlineCap: 50_000, offlineMaxAgeSeconds: 4 * 3600 },
    }),
    dataDir: join(root, "gateway"),
  });
  cleanups.push(() => gateway.stop());
  const headers = {
    authorization: `Bearer ${gateway.firstAdminToken}`,
    "content-type": "application/json",
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gateway.url}/api/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (path: string, body: unknown) => {
    const answer = await api("POST", path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body;
  };
  const eur = (amount: number) => ({ amount, currency: "EUR" });
  await post("/products", {
    sku: "CHAIR",
    name: "Oak chair",
    unitPrice: eur(CHAIR),
    unitCost: eur(6_000),
  });
  await post("/customers", {
    id: "acme",
    name: "ACME Joinery",
    creditLimit: eur(60_000),
    paymentTermsDays: 30,
  });
  const broker = new URL(gateway.mqttUrl);

  const counter = async (id: string): Promise<Counter> => {
    const dataDir = join(root, id);
    const identity = await createIdentity(dataDir);
    const { mqtt } = (await post("/nodes", { id, publicKey: identity.publicKeyHex })) as {
      mqtt: { username: string; password: string };
    };
    const link = await cuttableLink({ host: broker.hostname, port: Number(broker.port) });
    cleanups.push(() => link.close());
    const clock = new ManualClock(new Date());
    const node = await startNode({
      config: NodeConfigSchema.parse({
        node: { id, site: SITE, role: "counter" },
        readers: [],
        mqtt: { url: link.url, ...mqtt },
        ledger: { groupCommitMs: 1 },
        http: { listen: "127.0.0.1:0" },
        pos: {
          supervisors: [{ id: "sup-1", name: "Claire", pinHash: await hashPin("482193") }],
          clerks: await testClerks(),
          clerkSessionMinutes: 24 * 60,
        },
      }),
      dataDir,
      clock,
      openTransport: async () => {
        throw new Error("no reader in this test");
      },
    });
    cleanups.push(() => node.stop());
    const call = await terminalClient(node.url, dataDir, "counter");
    await poll(async () => (await call("GET", "/pos/customers/acme")).body.limit).toBe(60_000);
    await poll(async () => (await call("GET", "/pos/status")).body.catalog?.products).toBe(1);
    return { id, node, clock, link, call };
  };

  const live: { level: string; message: string }[] = [];
  const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/ws`);
  // Signed in (by the first message, never the URL) once the snapshot comes.
  const snapshot = new Promise((resolve) => ws.once("message", resolve));
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; data: Json };
    if (message.type === "alert") live.push(message.data);
  });
  cleanups.push(async () => ws.close());
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send(JSON.stringify({ type: "auth", token: gateway.firstAdminToken }));
  await snapshot;

  const gatewayEntries = (type: string) =>
    [...gateway.store.entries(GATEWAY_CHAIN)].filter((entry) => entry.type === type);
  const sales = () =>
    gateway.store.db
      .prepare("SELECT chain, seq, id, payment, customer, total FROM sales ORDER BY synced")
      .all() as { chain: string; seq: number; id: string; total: number }[];
  return { gateway, api, counter, live, gatewayEntries, sales };
}

const chairOnAccount = {
  customer: "acme",
  payment: "account",
  lines: [{ sku: "CHAIR", quantity: 1 }],
};
const reasons = (answer: { body: Json }) =>
  answer.body.decision.reasons.map((reason: { code: string }) => reason.code);
/** The node's ledger entries of one type, once durable. */
async function nodeEntries(counter: Counter, type: string) {
  await counter.node.runtime.ledger.flush();
  const found = [];
  for await (const entry of counter.node.runtime.ledger.readFrom(1))
    if (entry.type === type) found.push(entry);
  return found;
}

describe("counter nodes cut off from the gateway", () => {
  it("each sells up to its own offline cap; back online every sale is applied once, in order, none voided, and the alert names the sales over the limit", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-partition-"));
    cleanups.push(() => removeDir(root));
    const site = await startSite(root);
    const counters = [
      await site.counter("pos-1"),
      await site.counter("pos-2"),
      await site.counter("pos-3"),
    ];
    for (const counter of counters) {
      counter.link.cut();
      await poll(() => counter.node.sync.connected).toBe(false);
    }
    const start = Date.now();

    // Three rounds, one chair a node a round, each sale a second apart on
    // the nodes' clocks: 3 × 150.00 = 450.00 a node, within the 500.00 cap.
    const sold: string[][] = [[], [], []];
    for (let round = 1; round <= 3; round++) {
      for (const [i, counter] of counters.entries()) {
        counter.clock.set(new Date(start + (round * 10 + i) * 1000));
        const sale = await counter.call("POST", "/pos/sale", chairOnAccount);
        expect(sale.status, JSON.stringify(sale.body)).toBe(201);
        expect(sale.body.decision).toMatchObject({
          decision: "approve",
          figures: { offline: true, exposure: (round - 1) * CHAIR },
        });
        sold[i]?.push(sale.body.sale.id);
      }
    }
    // A fourth chair would make 600.00: exactly at the limit each node
    // sees, but over its offline cap — refused, and nothing is recorded.
    for (const counter of counters) {
      const salesBefore = (await nodeEntries(counter, "sale")).length;
      const refused = await counter.call("POST", "/pos/sale", chairOnAccount);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "credit_blocked" });
      expect(reasons(refused)).toEqual(["offline-cap"]);
      expect(refused.body.decision.figures).toMatchObject({ exposure: 45_000, availableAfter: 0 });
      expect(await nodeEntries(counter, "sale")).toHaveLength(salesBefore);
      expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
        pending: 45_000,
        offline: true,
      });
    }
    expect(site.sales()).toEqual([]);

    // Back online one at a time. pos-1 alone stays within the limit
    // (450.00); pos-2's second chair takes the gateway's figure to 750.00.
    for (const counter of counters) {
      counter.link.restore();
      await poll(() => counter.node.sync.connected).toBe(true);
      const head = counter.node.runtime.ledger.durable.seq;
      await poll(() => site.gateway.store.node(counter.id)?.head.seq).toBe(head);
      // The gateway republished a snapshot that includes the sales: nothing pending on the node.
      await poll(async () => (await counter.call("GET", "/pos/customers/acme")).body.pending).toBe(
        0,
      );
    }

    // Every sale once, in the order each node made it.
    const stored = site.sales();
    expect(stored).toHaveLength(9);
    expect(new Set(stored.map((sale) => sale.id)).size).toBe(9);
    for (const [i, counter] of counters.entries()) {
      const own = stored.filter((sale) => sale.chain === counter.id);
      expect(own.map((sale) => sale.id)).toEqual(sold[i]);
      const seqs = (await nodeEntries(counter, "sale")).map((entry) => entry.seq);
      expect(own.map((sale) => sale.seq)).toEqual(seqs);
    }
    // None voided: the counter-sales component holds all nine.
    const credit = (await site.api("GET", "/credit/acme")).body;
    expect(credit.exposure.counterSales.amount).toBe(9 * CHAIR);
    expect(credit.exposure.counterSales.documents).toHaveLength(9);
    expect(credit).toMatchObject({ limit: 60_000, available: 60_000 - 9 * CHAIR });
    for (const counter of counters) {
      expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
        exposure: 9 * CHAIR,
        offline: false,
      });
    }

    // The alert: the sales from which the customer stood over the limit at
    // the gateway, as they arrived — pos-2's 2nd and 3rd, all of pos-3's.
    const overLimit = [sold[1]?.[1], sold[1]?.[2], ...(sold[2] ?? [])];
    await poll(() =>
      site
        .gatewayEntries("credit.limit-exceeded-offline")
        .flatMap((entry) =>
          (entry.data as { sales: { id: string }[] }).sales.map((sale) => sale.id),
        ),
    ).toEqual(overLimit);
    const alerts = site.gatewayEntries("credit.limit-exceeded-offline");
    for (const entry of alerts)
      expect(entry.data).toMatchObject({ customer: "acme", limit: 60_000 });
    expect(alerts.at(-1)?.data).toMatchObject({ exposure: 9 * CHAIR });
    await poll(() => site.live.length).toBe(alerts.length);
    const named = site.live.map((alert) => alert.message).join("\n");
    for (const id of overLimit) expect(named).toContain(id);
    for (const id of [...(sold[0] ?? []), sold[1]?.[0]]) expect(named).not.toContain(`${id} `);
    expect(site.live.every((alert) => alert.level === "warning")).toBe(true);
    expect(named).toContain("limit exceeded while offline: acme owes");

    // Online now, the counters decide on the gateway's figure: over the limit.
    const online = await counters[0]?.call("POST", "/pos/check", {
      customer: "acme",
      amount: 100,
    });
    expect(online?.body).toMatchObject({ decision: "block", figures: { offline: false } });
    expect(online?.body.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      "over-limit",
    ]);
  });

  it("a counter cut off past the maximum snapshot age blocks every on-account sale, and decides again once the gateway is back", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-partition-"));
    cleanups.push(() => removeDir(root));
    const site = await startSite(root);
    const counter = await site.counter("pos-1");
    counter.link.cut();
    await poll(() => counter.node.sync.connected).toBe(false);

    const check = (amount: number) =>
      counter.call("POST", "/pos/check", { customer: "acme", amount });
    expect((await check(CHAIR)).body.decision).toBe("approve");
    // The snapshot was made now at the gateway; 4 h and a second later on the counter's clock:
    counter.clock.advance(4 * 3600_000 + 1000);
    const stale = await check(100);
    expect(stale.body).toMatchObject({ decision: "block", figures: { offline: true } });
    expect(stale.body.reasons.map((reason: { code: string }) => reason.code)).toEqual([
      "offline-stale",
    ]);
    const refused = await counter.call("POST", "/pos/sale", chairOnAccount);
    expect(refused.status).toBe(422);
    expect(reasons(refused)).toEqual(["offline-stale"]);
    expect(await nodeEntries(counter, "sale")).toEqual([]);
    // Cash still sells.
    const cash = await counter.call("POST", "/pos/sale", { ...chairOnAccount, payment: "cash" });
    expect(cash.status).toBe(201);

    // Back online: the age no longer applies, the sale goes through.
    counter.link.restore();
    await poll(() => counter.node.sync.connected).toBe(true);
    const sale = await counter.call("POST", "/pos/sale", chairOnAccount);
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    expect(sale.body.decision).toMatchObject({ decision: "approve", figures: { offline: false } });
    await poll(
      async () => (await site.api("GET", "/credit/acme")).body.exposure.counterSales.amount,
    ).toBe(CHAIR);
    expect(site.sales().map((row) => row.id)).toEqual([cash.body.sale.id, sale.body.sale.id]);
  });
});

import { rm } from "node:fs/promises";
import { type Catalog, type LedgerEntry, ManualClock, siteTopics } from "@comptoir/contracts";
import { s1Snapshot } from "@comptoir/contracts/testing";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { connectAsync, type MqttClient } from "mqtt";
import { afterEach, expect } from "vitest";
import { hashPin, type RunningNode } from "../../index.js";
import type { ClockSyncProbe } from "../../pos/clock-sync.js";
import { startBroker } from "../../sync/testing/index.js";
import { lineReader, nodeDataDir, startReaderless } from "./readerless.js";
import { issueTerminalToken, TEST_CLERK, terminalClient, testClerks } from "./terminal.js";

/**
 * A real counter node (runtime, ledger, sync, local HTTP) on ephemeral
 * ports, against a broker the test starts, and a stand-in for the gateway
 * that publishes retained credit snapshots and the catalog.
 */

export const SITE = "lyon-1";
export const NODE = "pos-1";
export const SUPERVISOR_PIN = "482193";
/** The clerk every counter of these tests signs in before it sells. */
export const CLERK = TEST_CLERK;
export const A = "3034257BF7194E4000000001";
export const B = "3034257BF7194E4000000002";
export const C = "3034257BF7194E4000000003";
export const GTIN_LAMP = "03453120000011";

const CATALOG: Catalog = {
  version: 1,
  currency: "EUR",
  asOf: "2026-11-27T08:00:00.000Z",
  products: [
    { sku: "CHAIR", name: "Oak chair", unitPrice: 15_000 },
    { sku: "TABLE", name: "Oak table", unitPrice: 30_000 },
    { sku: "LAMP", gtin: GTIN_LAMP, name: "Desk lamp", unitPrice: 15_000 },
  ],
};

/** S1 of the business rules: limit 5 000.00, open invoices 3 800.00 + shipped 400.00 = 4 200.00. */
export const snapshot = s1Snapshot;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, each checked by the tests' expects
type Json = any;

export interface Counter {
  node: RunningNode;
  url: string;
  clock: ManualClock;
  dataDir: string;
  /** The counter terminal's token (bearer) and its signed-in clerk's session. */
  token: string;
  /** POST/GET on the node's local API as the till, clerk signed in; returns status and parsed body. */
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; headers: Headers; body: Json }>;
  /** Puts a tag on the counter reader (two reads, past the dwell). */
  putOnCounter(epc: string): void;
  stop(): Promise<void>;
}

export async function startCounter(
  brokerUrl: string,
  options: {
    dataDir?: string;
    clock?: ManualClock;
    pos?: Record<string, unknown>;
    /** Broker credentials from the gateway's enrolment. */
    mqtt?: { username: string; password: string };
    /** What the OS says of the clock's NTP sync: "synced" unless given, whatever the test host says. */
    clockSync?: ClockSyncProbe;
  } = {},
): Promise<Counter> {
  const dataDir = await nodeDataDir(options.dataDir, "comptoir-pos-");
  const clock = options.clock ?? new ManualClock("2026-11-27T10:00:00.000Z");
  const config = NodeConfigSchema.parse({
    node: { id: NODE, site: SITE, role: "counter" },
    readers: [lineReader("counter", [{ port: 1, zone: "counter" }])],
    mqtt: { url: brokerUrl, ...options.mqtt },
    ledger: { groupCommitMs: 1 },
    http: { listen: "127.0.0.1:0" },
    pos: {
      supervisors: [{ id: "sup-1", name: "Claire", pinHash: await hashPin(SUPERVISOR_PIN) }],
      clerks: await testClerks(),
      // Tests move the clock by hours; the clerk stays signed in through them.
      clerkSessionMinutes: 24 * 60,
      ...options.pos,
    },
  });
  // The till's terminal token, issued as `comptoir node token create` does.
  const token = issueTerminalToken(dataDir, "counter");
  const node = await startReaderless(config, dataDir, clock, {
    clockSync: options.clockSync ?? (async () => "synced"),
  });
  let n = 0;
  const call = await terminalClient(node.url, dataDir, "counter", token);
  return {
    node,
    url: node.url,
    clock,
    dataDir,
    token,
    call,
    putOnCounter(epc) {
      const at = clock.now().getTime();
      for (const ms of [0, 60, 120])
        node.runtime.handleRead({
          epc,
          antenna: 1,
          reader: "counter",
          hostTime: new Date(at + ms + n++).toISOString(),
        });
    },
    async stop() {
      await node.stop();
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The gateway's side of the credit topics: retained snapshots and catalog. */
async function gatewayPublisher(brokerUrl: string) {
  const client: MqttClient = await connectAsync(brokerUrl, {
    clientId: `gw-test-${Math.random().toString(36).slice(2)}`,
  });
  const topics = siteTopics(SITE);
  return {
    client,
    async snapshot(value: unknown, customer = "acme") {
      const payload = typeof value === "string" ? value : JSON.stringify(value);
      await client.publishAsync(topics.credit(customer), payload, { qos: 1, retain: true });
    },
    async catalog(value: unknown) {
      await client.publishAsync(topics.catalog(), JSON.stringify(value), { qos: 1, retain: true });
    },
    async ack(seq: number) {
      await client.publishAsync(topics.nodeAck(NODE), JSON.stringify({ type: "ack", seq }), {
        qos: 1,
      });
    },
    close: () => client.endAsync(),
  };
}

/**
 * expect.poll with room for a loaded machine (its default gives up after
 * 1 s): broker deliveries and page updates are waited for, never timed.
 */
export function poll<T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(read, { interval: 20, timeout: 15_000, ...options });
}

/**
 * The cleanups a test file's counters and brokers register (`setupCounter` takes it), run last
 * first after each test; one that fails does not stop the others.
 */
export function cleanupsAfterEach(): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  return cleanups;
}

/** A broker, the gateway stand-in with catalog and S1 snapshot retained, and a connected counter. */
export async function setupCounter(
  cleanups: (() => Promise<unknown>)[],
  pos: Record<string, unknown> = {},
  clockSync?: ClockSyncProbe,
) {
  const broker = await startBroker(0);
  cleanups.push(() => broker.stop());
  const gateway = await gatewayPublisher(broker.url);
  cleanups.push(() => gateway.close());
  await gateway.catalog(CATALOG);
  await gateway.snapshot(snapshot());
  const counter = await startCounter(broker.url, { pos, ...(clockSync ? { clockSync } : {}) });
  cleanups.push(() => removeDir(counter.dataDir));
  cleanups.push(() => counter.stop());
  await poll(() => counter.node.sync.connected).toBe(true);
  await waitForVersion(counter, 1);
  await poll(async () => (await counter.call("GET", "/pos/status")).body.catalog?.version).toBe(1);
  return { broker, gateway, counter };
}

export async function waitForVersion(counter: Counter, version: number, customer = "acme") {
  await poll(
    async () => (await counter.call("GET", `/pos/customers/${customer}`)).body.version,
  ).toBe(version);
}

/** Every entry of the node's ledger (of one type when given), once durable. */
export async function entries(counter: Counter, type?: string): Promise<LedgerEntry[]> {
  await counter.node.runtime.ledger.flush();
  const all: LedgerEntry[] = [];
  for await (const entry of counter.node.runtime.ledger.readFrom(1)) all.push(entry);
  return type ? all.filter((entry) => entry.type === type) : all;
}

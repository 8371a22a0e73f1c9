import { siteTopics } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type TestBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { VerifyingGateway } from "./testing/gateway.js";
import { eventually, recordBatches } from "./testing/record.js";

const fixture = new NodeFixture();
const brokers: TestBroker[] = [];

afterEach(async () => {
  await fixture.cleanup();
  for (const broker of brokers.splice(0)) await broker.stop();
});

async function broker(port = 0): Promise<TestBroker> {
  const started = await startBroker(port);
  brokers.push(started);
  return started;
}

async function gatewayOn(
  url: string,
  options: { accept?: (first: number, last: number) => boolean } = {},
) {
  const gateway = await VerifyingGateway.start({
    url,
    site: SITE,
    node: NODE,
    publicKey: fixture.identity.publicKey,
    keepSeqs: true,
    ...options,
  });
  fixture.defer(() => gateway.close());
  return gateway;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("ledger sync over MQTT", () => {
  it("delivers every entry once, in order and verified, in bounded batches, following new appends", async () => {
    const { url, aedes } = await broker();
    const batches = recordBatches(aedes, SITE, NODE);
    const ledger = await fixture.open({ segmentBytes: 64 * 1024, checkpointEvery: 500 });
    await fixture.append(3000);
    const gateway = await gatewayOn(url);
    const sync = await fixture.sync(url, { maxBatchBytes: 16 * 1024, windowBatches: 4 });
    await gateway.until(() => gateway.head.seq >= 3000);
    for (let round = 0; round < 5; round++) {
      await fixture.append(400);
      sync.wake();
    }
    const head = ledger.durable.seq;
    await gateway.until(() => gateway.head.seq >= head);

    expect(gateway.failure).toBeUndefined();
    expect(gateway.seqs).toEqual(range(1, head));
    expect(gateway.head.hash).toBe(ledger.durable.hash);
    expect(gateway.duplicates).toBe(0);
    await eventually(() => batches.at(-1)?.last === head);
    expect(batches.length).toBeGreaterThan(20);
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(
      batches.every((batch, i) => i === 0 || batch.first === (batches[i - 1]?.last ?? 0) + 1),
    ).toBe(true);
    await eventually(() => sync.ackedSeq === head);
  });

  it("bounds a batch by entries as well as bytes", async () => {
    const { url, aedes } = await broker();
    const batches = recordBatches(aedes, SITE, NODE);
    const ledger = await fixture.open();
    await fixture.append(1000);
    const head = ledger.durable.seq;
    const gateway = await gatewayOn(url);
    await fixture.sync(url, { maxBatchEntries: 64 });
    await gateway.until(() => gateway.head.seq >= head);
    await eventually(() => batches.at(-1)?.last === head);
    expect(Math.max(...batches.map((batch) => batch.entries))).toBe(64);
    expect(gateway.seqs).toEqual(range(1, head));
  });

  it("sends the first entry after a quiet spell at once, holds a trickle while lingering, and never holds a backlog", async () => {
    const { url, aedes } = await broker();
    const batches = recordBatches(aedes, SITE, NODE);
    const ledger = await fixture.open();
    const gateway = await gatewayOn(url);
    // A minute of lingering: whatever arrives below did not wait for it.
    const sync = await fixture.sync(url, { lingerMs: 60_000 });
    await fixture.append(1);
    sync.wake();
    await gateway.until(() => gateway.head.seq >= 1);

    // A busy counter's trickle: five commits, each a few entries short of a batch worth sending.
    for (let i = 0; i < 5; i++) await fixture.append(1);
    sync.wake();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gateway.head.seq).toBe(1);

    // A backlog (64 entries or more waiting) goes out at once, the trickle with it.
    await fixture.append(100);
    sync.wake();
    const head = ledger.durable.seq;
    await gateway.until(() => gateway.head.seq >= head);
    await eventually(() => batches.at(-1)?.last === head);
    expect(batches.map(({ first, last }) => [first, last])).toEqual([
      [1, 1],
      [2, head],
    ]);
    expect(gateway.seqs).toEqual(range(1, head));
  });

  it("loses and duplicates nothing when the broker dies mid-stream and comes back later", async () => {
    const first = await broker();
    const ledger = await fixture.open({ segmentBytes: 256 * 1024 });
    await fixture.append(20_000);
    const gateway = await gatewayOn(first.url);
    const sync = await fixture.sync(first.url, {
      maxBatchBytes: 8 * 1024,
      windowBatches: 2,
      ackTimeoutMs: 300,
    });
    await gateway.until(() => gateway.head.seq >= 2000);
    const down = new Promise<void>((resolve) => sync.once("disconnected", () => resolve()));
    await first.stop();
    brokers.splice(brokers.indexOf(first), 1);
    await down;
    const storedWhileDown = gateway.head.seq;
    expect(storedWhileDown).toBeLessThan(20_000);

    // Hours offline, in short: appends continue, nothing piles up in mqtt.js.
    await fixture.append(5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sync.connected).toBe(false);
    expect(sync.mqtt.queue).toHaveLength(0);

    const head = ledger.durable.seq;
    await broker(first.port);
    await gateway.until(() => gateway.head.seq >= head);
    expect(gateway.failure).toBeUndefined();
    expect(gateway.seqs).toEqual(range(1, head));
    expect(gateway.head.hash).toBe(ledger.durable.hash);
  });

  it("re-sends from the seq a resend request names, on the ack topic and on the cmd topic", async () => {
    const { url, aedes } = await broker();
    await fixture.open();
    await fixture.append(300);
    const gateway = await gatewayOn(url);
    const sync = await fixture.sync(url, { maxBatchEntries: 50 });
    await gateway.until(() => gateway.head.seq >= 300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const batches = recordBatches(aedes, SITE, NODE);

    await gateway.sendAck(JSON.stringify({ type: "resend", from: 120 }));
    await gateway.until(() => gateway.duplicates >= 181);
    await eventually(() => batches.at(-1)?.last === 300);
    expect(batches[0]?.first).toBe(120);

    batches.length = 0;
    const before = gateway.duplicates;
    await gateway.sendCommand(JSON.stringify({ type: "resend", from: 251 }));
    await gateway.until(() => gateway.duplicates >= before + 50);
    await eventually(() => batches.at(-1)?.last === 300);
    expect(batches[0]?.first).toBe(251);
    expect(gateway.seqs).toEqual(range(1, 300));
    expect(sync.ackedSeq).toBe(300);
  });

  it("sends again from the acknowledged seq when the gateway stays silent", async () => {
    const { url, aedes } = await broker();
    const batches = recordBatches(aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(500);
    let dropping = true;
    const gateway = await gatewayOn(url, { accept: () => !dropping });
    await fixture.sync(url, { maxBatchEntries: 100, windowBatches: 2, ackTimeoutMs: 100 });
    await eventually(() => batches.length >= 2);
    // The window is full and nothing was acknowledged: the node waits, it does not run ahead.
    expect(Math.max(...batches.map((batch) => batch.last))).toBe(200);
    dropping = false;
    await gateway.until(() => gateway.head.seq >= 500);
    expect(gateway.seqs).toEqual(range(1, 500));
    expect(batches.filter((batch) => batch.first === 1).length).toBeGreaterThanOrEqual(2);
  });

  it("closes when the broker is gone with batches still unacknowledged", async () => {
    const first = await broker();
    const batches = recordBatches(first.aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(2000);
    await gatewayOn(first.url, { accept: () => false });
    const sync = await fixture.sync(first.url, { maxBatchEntries: 100, windowBatches: 4 });
    await eventually(() => batches.length >= 4);
    const down = new Promise<void>((resolve) => sync.once("disconnected", () => resolve()));
    await first.stop();
    brokers.splice(brokers.indexOf(first), 1);
    await down;
    // The ledger is the outbox: closing must not wait for acks that cannot come
    // (before the fix this hung until the test timed out).
    await sync.close();
    expect(sync.connected).toBe(false);
  });

  it("closes after a reconnect although the lost connection's batches were never confirmed", async () => {
    // A broker that never confirms the ledger batches it is sent, then dies:
    // those publishes are orphans in mqtt.js (the store that would replay them
    // is cleared on disconnect), and a graceful end used to wait for them forever.
    const ledgerTopic = siteTopics(SITE).nodeLedger(NODE);
    const first = await startBroker(0, {
      authorizePublish: (_client, packet, callback) => {
        if (packet.topic !== ledgerTopic) callback(null);
      },
    });
    await fixture.open();
    await fixture.append(500);
    const sync = await fixture.sync(first.url, { maxBatchEntries: 100, windowBatches: 2 });
    await eventually(() => Object.keys(sync.mqtt.outgoing).length >= 2);
    const down = new Promise<void>((resolve) => sync.once("disconnected", () => resolve()));
    await first.stop();
    await down;
    const up = new Promise<void>((resolve) => sync.once("connected", () => resolve()));
    await broker(first.port);
    await up;
    await sync.close();
    expect(sync.connected).toBe(false);
  }, 15_000);

  it("closes while the gateway leaves batches unacknowledged", async () => {
    const { url, aedes } = await broker();
    const batches = recordBatches(aedes, SITE, NODE);
    await fixture.open();
    await fixture.append(2000);
    await gatewayOn(url, { accept: () => false });
    const sync = await fixture.sync(url, { maxBatchEntries: 100, windowBatches: 4 });
    await eventually(() => batches.length >= 4);
    await sync.close();
    expect(sync.connected).toBe(false);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChainIdentity, generateIdentity, siteTopics } from "@comptoir/contracts";
import { Ledger, LedgerSync } from "@comptoir/device";
import { movement } from "@comptoir/device/sync/testing";
import { connectAsync } from "mqtt";
import { type Bench, result } from "./result.js";
import { SyncGatewayThread } from "./sync-protocol.js";
import { signingCost } from "./sync-signing.js";

const SITE = "bench";
const NODE = "bench-node";

interface Delivery {
  entries: number;
  batches: number;
  bytes: number;
  seconds: number;
}

export const syncBench: Bench = {
  name: "sync",
  summary:
    "signed ledger sync over MQTT to an embedded Aedes broker in another thread, verified (signatures too) and acknowledged",
  async run({ quick, log }) {
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-sync-"));
    const identity = generateIdentity();
    try {
      const seconds = quick ? 2 : 6;
      log(`live: appending for ${seconds} s while the sync follows…`);
      const live = await liveSync(join(root, "live"), identity, seconds);
      log("baseline: a bare mqtt.js QoS 1 publisher of the same bytes…");
      const liveBare = await barePublisher(live, identity);

      const backlog = quick ? 200_000 : 1_000_000;
      log(`catch-up: writing a ${backlog.toLocaleString("en")}-entry backlog…`);
      const dir = join(root, "backlog");
      await writeBacklog(dir, identity, backlog);
      log("catch-up: syncing it…");
      const catchUp = await syncBacklog(dir, identity);
      log("baseline: a bare mqtt.js QoS 1 publisher of the same bytes…");
      const catchUpBare = await barePublisher(catchUp, identity);
      const perBatch = Math.max(1, Math.round(catchUp.entries / catchUp.batches));
      log(`signing: signing and verifying a ${perBatch}-entry batch…`);
      const signing = signingCost(identity, NODE, perBatch, movement, quick ? 200 : 1000);

      return [
        result(
          "sync to an embedded broker with a subscriber that verifies and acks",
          live.entries / live.seconds,
          "entries/s",
          liveBare.entries / liveBare.seconds,
          { atLeast: 50_000 },
        ),
        result(
          `catch-up of a ${backlog.toLocaleString("en")}-entry backlog`,
          catchUp.seconds,
          "s",
          catchUpBare.seconds,
          { atMost: 30 },
        ),
        result("entries per batch (catch-up)", catchUp.entries / catchUp.batches, "entries", 0),
        result(
          `batch signature: node signs + gateway verifies (Ed25519, ${perBatch}-entry batch); baseline: recomputing its entry hashes`,
          signing.signVerifyMicros,
          "µs/batch",
          signing.hashMicros,
        ),
      ];
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};

async function openLedger(dir: string, identity: ChainIdentity): Promise<Ledger> {
  return Ledger.open({ dir: join(dir, "ledger"), chain: NODE, identity, groupCommitMs: 10 });
}

/**
 * Appends in groups of 5 000 for `seconds` while the sync follows, and is
 * timed until the gateway holds the head. The appends and the node's sync
 * share this thread; the broker and the verifying, acking subscriber run in
 * a worker thread, as a gateway runs in its own process.
 */
function liveSync(dir: string, identity: ChainIdentity, seconds: number): Promise<Delivery> {
  return timedDelivery(dir, identity, async (ledger, started) => {
    const end = started + seconds * 1000;
    while (performance.now() < end) await appendGroup(ledger, 0, 5000);
    await ledger.flush();
  });
}

/**
 * Starts the verifying gateway thread and the node's sync on the ledger in `dir`, lets
 * `write` append (or not), and times it all until the gateway holds the head and the
 * node has the gateway's ack for it.
 */
async function timedDelivery(
  dir: string,
  identity: ChainIdentity,
  write: (ledger: Ledger, started: number) => Promise<void>,
): Promise<Delivery> {
  const ledger = await openLedger(dir, identity);
  const gateway = await startGateway("verify", identity);
  const started = performance.now();
  const sync = await LedgerSync.start(syncOptions(gateway.url, ledger, dir, identity));
  try {
    await write(ledger, started);
    const head = ledger.durable.seq;
    const reached = await gateway.untilSeq(head);
    await until(() => sync.ackedSeq >= head);
    return {
      entries: head,
      batches: reached.batches,
      bytes: reached.bytes,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await sync.close();
    await ledger.close();
    await gateway.stop();
  }
}

function startGateway(mode: "verify" | "count", identity: ChainIdentity) {
  return SyncGatewayThread.start({
    site: SITE,
    node: NODE,
    mode,
    publicKeyPem: identity.publicKey.export({ type: "spki", format: "pem" }).toString(),
  });
}

/** The node has the gateway's ack (it crossed back from the other thread over MQTT). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function appendGroup(ledger: Ledger, from: number, count: number): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) pending.push(ledger.append("movement", movement(from + i)));
  await Promise.all(pending);
}

async function writeBacklog(dir: string, identity: ChainIdentity, count: number): Promise<void> {
  const ledger = await openLedger(dir, identity);
  for (let done = 0; done < count; done += 10_000) await appendGroup(ledger, done, 10_000);
  await ledger.close();
}

/** A node that comes back to a ledger it could not send: timed until the gateway has it all. */
function syncBacklog(dir: string, identity: ChainIdentity): Promise<Delivery> {
  return timedDelivery(dir, identity, async () => {});
}

function syncOptions(url: string, ledger: Ledger, dir: string, identity: ChainIdentity) {
  return {
    node: NODE,
    identity,
    site: SITE,
    version: "bench",
    mqtt: { url },
    ledger,
    ledgerDir: join(dir, "ledger"),
    dataDir: dir,
    readers: () => [],
    pollMs: 5,
  };
}

/**
 * The baseline: the same number of messages of the same average size,
 * published QoS 1 by a bare mqtt.js client with 16 in flight from this
 * thread, to the same broker setup in a worker thread with a bare
 * subscriber that only counts them. No ledger reads, no verification, no acks.
 */
async function barePublisher(delivery: Delivery, identity: ChainIdentity): Promise<Delivery> {
  const gateway = await startGateway("count", identity);
  const topic = siteTopics(SITE).nodeLedger(NODE);
  const publisher = await connectAsync(gateway.url, { protocolVersion: 4 });
  try {
    const payload = Buffer.alloc(Math.max(1, Math.round(delivery.bytes / delivery.batches)), 0x61);
    const started = performance.now();
    const all = gateway.untilCount(delivery.batches);
    let next = 0;
    const lane = async () => {
      while (next < delivery.batches) {
        next++;
        await publisher.publishAsync(topic, payload, { qos: 1 });
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    await all;
    return { ...delivery, seconds: (performance.now() - started) / 1000 };
  } finally {
    await publisher.endAsync(true);
    await gateway.stop();
  }
}

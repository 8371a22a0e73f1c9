import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainIdentity,
  createIdentity,
  type LedgerEntry,
  sealEntry,
  siteTopics,
} from "@comptoir/contracts";
import { signedBatch } from "@comptoir/contracts/testing";
import { startNode } from "@comptoir/device";
import { poll, removeDir } from "@comptoir/device/node/testing";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import type { GatewayCore } from "@comptoir/gateway";
import { afterEach, describe, expect, it } from "vitest";
import { appendReceipts } from "./support/node-movements.js";
import { startSiteGateway } from "./support/site-gateway.js";

// Issue 13, items 5 and 16, end to end: a real gateway (embedded broker) and
// a real node that learnt the gateway's key at enrollment. Whoever can
// publish on the broker (here: straight into it, as through an external
// broker or a man in the middle) can neither append to the node's chain at
// the gateway nor steer the node; when the gateway does mark the chain
// broken, the node says so on /health.

const SITE = "lyon-1";
const NODE = "shelf-1";
const topics = siteTopics(SITE);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function site() {
  const root = await mkdtemp(join(tmpdir(), "comptoir-signed-sync-"));
  cleanups.push(() => removeDir(root));
  const gateway = await startSiteGateway(SITE, join(root, "gateway"));
  cleanups.push(() => gateway.stop());
  const dataDir = join(root, NODE);
  const identity = await createIdentity(dataDir);
  const res = await fetch(`${gateway.url}/api/v1/nodes`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${gateway.firstAdminToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ id: NODE, publicKey: identity.publicKeyHex }),
  });
  expect(res.status).toBe(201);
  const enrolled = (await res.json()) as {
    mqtt: { username: string; password: string };
    gateway: { publicKey: string };
  };
  const node = await startNode({
    config: NodeConfigSchema.parse({
      node: { id: NODE, site: SITE, role: "shelf" },
      readers: [],
      mqtt: { url: gateway.mqttUrl, ...enrolled.mqtt, gatewayKey: enrolled.gateway.publicKey },
      ledger: { groupCommitMs: 1 },
      http: { listen: "127.0.0.1:0" },
    }),
    dataDir,
    openTransport: async () => {
      throw new Error("no reader in this test");
    },
  });
  cleanups.push(() => node.stop());
  /** What anyone on the broker can do: publish on any topic. */
  const publish = (topic: string, payload: string) =>
    new Promise<void>((resolve, reject) =>
      gateway.broker?.aedes.publish(
        {
          cmd: "publish",
          topic,
          payload: Buffer.from(payload),
          qos: 1,
          retain: false,
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  return { gateway, node, identity, enrolled, publish };
}

/** Entries that follow `head` with valid hashes: anyone can compute them. */
function following(head: { seq: number; hash: string }, count: number): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let prev = head;
  for (let i = 0; i < count; i++) {
    const { entry } = sealEntry({
      seq: prev.seq + 1,
      ts: new Date().toISOString(),
      chain: NODE,
      type: "movement",
      data: {
        epc: "3034257BF7194E4000000BAD",
        sku: "SKU-1",
        kind: "ship",
        from: "shelf-a",
        to: null,
        reader: "shelf",
        antennas: [1],
        reads: 3,
        at: new Date().toISOString(),
      },
      prev: prev.hash,
    });
    entries.push(entry);
    prev = entry;
  }
  return entries;
}

const storedHead = (gateway: GatewayCore) => gateway.store.node(NODE)?.head.seq;

describe("signed sync between a real gateway and a real node", () => {
  it("enrollment names the gateway's key; the node takes the gateway's signed acks", async () => {
    const { gateway, node, enrolled } = await site();
    expect(enrolled.gateway.publicKey).toMatch(/^[0-9a-f]{64}$/);
    await appendReceipts(node, 5);
    await poll(async () => node.sync.ackedSeq).toBe(5);
    expect(storedHead(gateway)).toBe(5);
  });

  it("refuses a forged batch with valid hashes on the node's ledger topic: nothing stored, the node keeps syncing", async () => {
    const { gateway, node, publish } = await site();
    await appendReceipts(node, 3);
    await poll(async () => storedHead(gateway)).toBe(3);
    const head = gateway.store.node(NODE)?.head as { seq: number; hash: string };
    await publish(
      topics.nodeLedger(NODE),
      JSON.stringify({ node: NODE, entries: following(head, 2) }),
    );
    await gateway.ingest.idle();
    expect(gateway.store.node(NODE)).toMatchObject({ state: "ok", head: { seq: 3 } });
    expect(gateway.store.movements({ limit: 100 }).map((m) => m.seq)).toEqual([3, 2, 1]);

    await appendReceipts(node, 2);
    await poll(async () => node.sync.ackedSeq).toBe(5);
    expect(gateway.store.node(NODE)).toMatchObject({ state: "ok", head: { seq: 5 } });
  });

  it("the node ignores an unsigned broken command and a forged ack", async () => {
    const { gateway, node, publish } = await site();
    await appendReceipts(node, 3);
    await poll(async () => node.sync.ackedSeq).toBe(3);
    const refused: string[] = [];
    node.sync.on("refused", (topic) => refused.push(topic));
    await publish(
      topics.nodeCmd(NODE),
      JSON.stringify({ type: "broken", seq: 2, reason: "bad hash", scope: "chain" }),
    );
    await publish(topics.nodeAck(NODE), JSON.stringify({ type: "ack", seq: 1 }));
    await poll(async () => refused.length).toBe(2);
    expect(node.sync.broken).toBeUndefined();
    expect(node.sync.ackedSeq).toBe(3);
    expect((await fetch(`${node.url}/health`)).status).toBe(200);
    expect(gateway.store.node(NODE)?.state).toBe("ok");
  });

  it("a node the gateway marks broken is told, and says broken on /health with the seq and reason", async () => {
    const { gateway, node, identity, publish } = await site();
    await appendReceipts(node, 3);
    await poll(async () => node.sync.ackedSeq).toBe(3);
    // Signed by the node's key, but seq 4 does not follow the seq 3 the gateway holds.
    const fork = following({ seq: 3, hash: "e".repeat(64) }, 2);
    await publish(topics.nodeLedger(NODE), signedBatch(identity as ChainIdentity, NODE, fork));
    await poll(async () => gateway.store.node(NODE)?.state).toBe("broken");
    await poll(async () => node.sync.broken?.seq).toBe(4);
    const health = await fetch(`${node.url}/health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as {
      failing: string[];
      parts: Record<string, { ok: boolean; detail: string }>;
    };
    expect(body.failing).toContain("chain");
    expect(body.parts.chain?.detail).toMatch(/^broken at seq 4: broken link/);
  });
});

import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity } from "@comptoir/contracts";
import { Ledger, startNode } from "@comptoir/device";
import { poll, removeDir } from "@comptoir/device/node/testing";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { TokenStore } from "@comptoir/gateway";
import { afterEach, describe, expect, it } from "vitest";
import { appendReceipts } from "./support/node-movements.js";
import { runCli } from "./support/run-cli.js";
import { startSiteGateway } from "./support/site-gateway.js";

// Issue 13, item 6: a broken chain could never be recovered. A real gateway
// and a real node whose data directory is restored from an old backup: it
// rewrites seqs the gateway already holds, and the gateway marks it broken.
// The operator recovers it (docs/security.md): the broken epoch stays as
// evidence, a new one starts after the last entry the gateway verified.

const SITE = "lyon-1";
const NODE = "shelf-1";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("recovering a broken node chain with a new epoch", () => {
  it("keeps the broken epoch as evidence, and the node syncs again in its new epoch", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-recovery-"));
    cleanups.push(() => removeDir(root));
    const gateway = await startSiteGateway(SITE, join(root, "gateway"));
    cleanups.push(() => gateway.stop());
    const admin = new TokenStore(gateway.store.db, gateway.ledger).create("admin", "operator", {
      kind: "system",
      id: "test",
    }).token;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${gateway.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const dataDir = join(root, NODE);
    const identity = await createIdentity(dataDir);
    const enrolled = (await api("POST", "/nodes", { id: NODE, publicKey: identity.publicKeyHex }))
      .body as { mqtt: { username: string; password: string }; gateway: { publicKey: string } };
    const json = {
      node: { id: NODE, site: SITE, role: "shelf", dataDir },
      readers: [],
      mqtt: { url: gateway.mqttUrl, ...enrolled.mqtt, gatewayKey: enrolled.gateway.publicKey },
      ledger: { groupCommitMs: 1 },
      http: { listen: "127.0.0.1:0" },
    };
    const configFile = join(root, "node.json");
    await writeFile(configFile, JSON.stringify(json));
    const start = async () => {
      const node = await startNode({
        config: NodeConfigSchema.parse(json),
        dataDir,
        openTransport: async () => {
          throw new Error("no reader in this test");
        },
      });
      cleanups.push(() => node.stop());
      return node;
    };
    const stored = () => gateway.store.node(NODE);

    // Epoch 1: five entries, a backup, five more, all stored by the gateway.
    let node = await start();
    await appendReceipts(node, 5, "shelf-a");
    await poll(() => stored()?.head.seq).toBe(node.runtime.ledger.durable.seq);
    await node.stop();
    await cp(dataDir, join(root, "backup"), { recursive: true });
    node = await start();
    await appendReceipts(node, 5, "shelf-b");
    const lastGood = node.runtime.ledger.durable.seq;
    await poll(() => stored()?.head.seq).toBe(lastGood);
    await node.stop();

    // The node is restored from the backup and writes other entries at seq 6 onwards.
    await removeDir(dataDir);
    await cp(join(root, "backup"), dataDir, { recursive: true });
    node = await start();
    await appendReceipts(node, 3, "shelf-c");
    await poll(() => stored()?.state).toBe("broken");
    const broken = stored()?.broken as { seq: number; reason: string };
    expect(broken.seq).toBeGreaterThan(5);
    expect(broken.seq).toBeLessThanOrEqual(lastGood);
    await node.stop();
    const kept = [...gateway.store.entries(NODE)].map((entry) => entry.hash);
    expect(kept).toHaveLength(lastGood);

    // Recovery at the gateway: who and why, the last good seq and hash.
    const recovered = await api("POST", `/nodes/${NODE}/recover`, {
      reason: "restored from an old backup",
    });
    expect(recovered.status).toBe(200);
    const epoch = recovered.body.epoch as {
      epoch: number;
      lastGood: { seq: number; hash: string };
    };
    expect(epoch).toMatchObject({ epoch: 2, lastGood: { seq: lastGood, hash: kept.at(-1) } });
    expect((await api("POST", `/nodes/${NODE}/recover`, { reason: "again" })).status).toBe(409);

    // On the node, stopped: the new epoch, then it starts and syncs.
    const cli = await runCli([
      "node",
      "new-epoch",
      "--config",
      configFile,
      "--epoch",
      "2",
      "--seq",
      String(lastGood),
      "--hash",
      epoch.lastGood.hash,
      "--reason",
      "restored from an old backup",
    ]);
    expect(cli).toMatchObject({ code: 0 });
    node = await start();
    await appendReceipts(node, 2, "shelf-d");
    const head = node.runtime.ledger.durable.seq;
    expect(head).toBeGreaterThan(lastGood + 2);
    await poll(() => stored()?.head.seq).toBe(head);
    expect(stored()?.state).toBe("ok");

    // The old entries are still there, and the break is still reported where it was.
    const after = [...gateway.store.entries(NODE)];
    expect(after.slice(0, lastGood).map((entry) => entry.hash)).toEqual(kept);
    expect(after[lastGood]).toMatchObject({
      seq: lastGood + 1,
      type: "epoch",
      prev: kept.at(-1),
      data: {
        epoch: 2,
        previous: { epoch: 1, lastGoodSeq: lastGood, lastGoodHash: kept.at(-1) },
        reason: "restored from an old backup",
      },
    });
    const epochs = await api("GET", `/nodes/${NODE}/epochs`);
    expect(epochs.body).toMatchObject({
      current: 2,
      epochs: [
        {
          epoch: 2,
          broken: { seq: broken.seq, reason: broken.reason },
          actor: expect.stringMatching(/^token:/),
        },
      ],
    });
    const audit = await api("GET", `/audit/${NODE}/verify`);
    expect(audit.body).toMatchObject({ ok: true });
    const record = gateway.store.db
      .prepare("SELECT data FROM entries WHERE chain = 'gateway' AND type = 'node.epoch-started'")
      .get() as { data: string };
    expect(JSON.parse(record.data)).toMatchObject({
      node: NODE,
      epoch: 2,
      broken: { seq: broken.seq },
      reason: "restored from an old backup",
      by: { kind: "token" },
    });

    // The node keeps its broken epoch untouched: at the broken seq, its entry is not the gateway's.
    await node.stop();
    const old = await Ledger.open({ dir: join(dataDir, "epochs", "1"), chain: NODE, identity });
    const entries = old.readFrom(broken.seq);
    const forked = (await entries.next()).value;
    // Ends the read, so its file is closed now rather than by the garbage collector (DEP0137).
    await entries.return(undefined);
    await old.close();
    expect(forked?.seq).toBe(broken.seq);
    expect(forked?.hash).not.toBe(kept[broken.seq - 1]);
    const verified = await runCli(["audit", "verify", dataDir]);
    expect(verified.code).toBe(0);
    expect(verified.stderr).toMatch(/epoch 2/);
  });
});

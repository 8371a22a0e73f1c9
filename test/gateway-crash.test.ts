import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ChainIdentity,
  generateIdentity,
  type LedgerEntry,
  MOVEMENT_TYPE,
  type MovementData,
  MovementDataSchema,
  StockProjection,
  type StockRow,
} from "@comptoir/contracts";
import { Ledger, LedgerSync } from "@comptoir/device";
import { enrollWithCredentials, NodeCredentials, Store, siteCaPaths } from "@comptoir/gateway";
import { cleanupAfterEach, tempDir } from "@comptoir/gateway/testing";
import { describe, expect, it, vi } from "vitest";
import {
  freePort,
  type GatewayProcess,
  killGatewayHard,
  startGatewayProcess,
  stopGateway,
} from "./support/gateway-process.js";

const SITE = "lyon-1";
const NODES = ["dock-1", "aisle-a", "aisle-b"];
const KILLS = 6;
/** Each node moves its own tags, so the site's stock does not depend on how nodes interleave. */
const TAGS_PER_NODE = 40;
const GTINS = ["04012345123456", "04012345654325"];

const defer = cleanupAfterEach();

/**
 * The n-th movement of a node: its tags go round receive → putaway →
 * pick → ship, so the stock keeps changing in every zone.
 */
function movement(nodeIndex: number, n: number): MovementData {
  const tag = n % TAGS_PER_NODE;
  const gtin = GTINS[tag % GTINS.length] as string;
  const shelf = `shelf-${tag % 3}`;
  const stages = [
    { kind: "receive", from: null, to: "dock" },
    { kind: "putaway", from: "dock", to: shelf },
    { kind: "pick", from: shelf, to: "pack" },
    { kind: "ship", from: "pack", to: null },
  ] as const;
  const stage = stages[Math.floor(n / TAGS_PER_NODE) % stages.length] as (typeof stages)[number];
  return MovementDataSchema.parse({
    epc: `3034257BF7194E4${nodeIndex}${tag.toString(16).toUpperCase().padStart(8, "0")}`,
    sku: gtin,
    gtin,
    ...stage,
    reader: "door",
    antennas: [1],
    reads: 3,
    at: new Date().toISOString(),
  });
}

interface SyncingNode {
  id: string;
  ledger: Ledger;
  sync: LedgerSync;
  /** Stops appending and resolves once the last append is durable (rejects if one failed). */
  stopAppending(): Promise<void>;
}

/** An in-process node: its ledger on disk, its own sync, and movements appended every few ms. */
async function startNode(
  root: string,
  nodeIndex: number,
  login: { url: string; username: string; password: string; ca?: string },
  identity: ChainIdentity,
): Promise<SyncingNode> {
  const id = NODES[nodeIndex] as string;
  const dataDir = join(root, id);
  const ledgerDir = join(dataDir, "ledger");
  const ledger = await Ledger.open({
    dir: ledgerDir,
    chain: id,
    identity,
    groupCommitMs: 3,
    checkpointEvery: 100,
  });
  defer(() => ledger.close());
  const sync = await LedgerSync.start({
    node: id,
    identity,
    site: SITE,
    version: "0.1.0-test",
    mqtt: login,
    ledger,
    ledgerDir,
    dataDir,
    readers: () => [{ id: "door", state: "reading" }],
    pollMs: 10,
    ackTimeoutMs: 2000,
    maxBatchEntries: 25,
    clientOptions: { reconnectPeriod: 100, connectTimeout: 2000 },
  });
  // After a disconnect with batches in flight, mqtt.js keeps waiting for their PUBACKs and a
  // graceful end never comes (LedgerSync clears the store they would be replayed from): bounded here.
  defer(() =>
    Promise.race([
      sync.close(),
      sleep(1000).then(() => {
        sync.mqtt.end(true);
      }),
    ]),
  );

  let appending = true;
  let count = 0;
  const loop = (async () => {
    while (appending) {
      const group = 1 + Math.floor(Math.random() * 3);
      const pending: Promise<LedgerEntry>[] = [];
      for (let i = 0; i < group; i++)
        pending.push(ledger.append(MOVEMENT_TYPE, movement(nodeIndex, count++)));
      await Promise.all(pending);
      sync.wake();
      await sleep(10 + Math.random() * 20);
    }
  })();
  const stopAppending = async () => {
    appending = false;
    await loop;
  };
  defer(() => stopAppending());
  return { id, ledger, sync, stopAppending };
}

async function allEntries(ledger: Ledger): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const entry of ledger.readFrom(1)) entries.push(entry);
  return entries;
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

const byRow = (a: StockRow, b: StockRow) =>
  (a.sku ?? "").localeCompare(b.sku ?? "") || a.zone.localeCompare(b.zone);

/** The site's stock as the contracts' fold of every node's stored chain. */
function foldStock(chains: readonly (readonly LedgerEntry[])[]): StockRow[] {
  const stock = new StockProjection();
  for (const chain of chains) for (const entry of chain) stock.apply(entry);
  return stock.rows().sort(byRow);
}

/**
 * What a reader finds in the killed gateway's store: the database and its
 * WAL copied as the crash left them (the gateway's own files stay untouched
 * for its restart), opened and recovered by SQLite.
 */
async function openCrashCopy(gatewayDir: string, copyDir: string): Promise<Store> {
  await mkdir(copyDir, { recursive: true });
  await copyFile(join(gatewayDir, "gateway.db"), join(copyDir, "gateway.db"));
  await copyFile(join(gatewayDir, "gateway.db-wal"), join(copyDir, "gateway.db-wal")).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    },
  );
  return new Store(join(copyDir, "gateway.db"));
}

describe("the gateway killed with SIGKILL during ingest and restarted", () => {
  // Many process starts: generous on a loaded machine (a hang guard, not a measure).
  it("loses nothing and applies nothing twice: every node's chain, its acks and the stock agree", {
    timeout: 240_000,
  }, async () => {
    const root = await tempDir(defer, "comptoir-gateway-crash-");
    const gatewayDir = join(root, "gateway");
    await mkdir(gatewayDir, { recursive: true, mode: 0o700 });

    // Enrolled in the store file before the gateway first starts.
    const identities = NODES.map(() => generateIdentity());
    const store = new Store(join(gatewayDir, "gateway.db"));
    const logins = NODES.map(
      (id, i) =>
        enrollWithCredentials(
          store,
          new NodeCredentials(store.db),
          id,
          (identities[i] as ChainIdentity).publicKeyHex,
        ).mqtt,
    );
    store.close();

    // A fixed port, so that the restarted gateway is where the nodes reconnect to by themselves.
    const port = await freePort();
    const config = join(root, "gateway.yaml");
    await writeFile(
      config,
      JSON.stringify({
        gateway: { site: SITE, dataDir: "./gateway" },
        // Over TLS: the site CA made at first start must survive every kill, or the pins break.
        mqtt: { embedded: { host: "127.0.0.1", port, tls: true } },
        http: { listen: "127.0.0.1:0" },
        log: { level: "warn" },
      }),
    );
    let gateway: GatewayProcess = await startGatewayProcess(config);
    defer(() => killGatewayHard(gateway));
    const url = gateway.mqttUrl;
    expect(url).toBe(`mqtts://127.0.0.1:${port}`);

    // Each node pins the CA the gateway created (its mqtt.ca, as a path).
    const ca = siteCaPaths(gatewayDir).caCert;
    const nodes: SyncingNode[] = [];
    for (const [i, login] of logins.entries())
      nodes.push(await startNode(root, i, { url, ca, ...login }, identities[i] as ChainIdentity));

    for (let kill = 1; kill <= KILLS; kill++) {
      // Batches are flowing through this gateway: every node has had something new acknowledged.
      const acked = nodes.map((node) => node.sync.ackedSeq);
      await vi.waitFor(
        () => {
          for (const [i, node] of nodes.entries())
            expect(
              node.sync.ackedSeq,
              `${node.id} acked after restart ${kill - 1}`,
            ).toBeGreaterThan(acked[i] as number);
        },
        { timeout: 20_000, interval: 20 },
      );
      await sleep(Math.random() * 400);
      // At a moment when some node has durable entries the gateway has not acknowledged yet.
      await vi.waitFor(
        () => expect(nodes.some((node) => node.ledger.durable.seq > node.sync.ackedSeq)).toBe(true),
        { timeout: 10_000, interval: 1 },
      );
      await killGatewayHard(gateway);
      // Every ack the gateway sent before dying has reached its node.
      await vi.waitFor(
        () =>
          expect(nodes.filter((node) => node.sync.connected).map((node) => node.id)).toEqual([]),
        { timeout: 10_000, interval: 10 },
      );

      const crashed = await openCrashCopy(gatewayDir, join(root, `crash-${kill}`));
      try {
        for (const node of nodes) {
          const record = crashed.node(node.id);
          const stored = [...crashed.entries(node.id)];
          const head = record?.head.seq ?? -1;
          expect(record?.state, `${node.id} after kill ${kill}`).toBe("ok");
          expect(
            stored.map((entry) => entry.seq),
            `${node.id} stored seqs after kill ${kill}`,
          ).toEqual(range(1, head));
          expect(stored, `${node.id} stored entries after kill ${kill}`).toEqual(
            (await allEntries(node.ledger)).slice(0, head),
          );
          expect(
            node.sync.ackedSeq,
            `${node.id}: acked after kill ${kill}, stored ${head}`,
          ).toBeLessThanOrEqual(head);
        }
      } finally {
        crashed.close();
      }

      gateway = await startGatewayProcess(config);
      expect(gateway.mqttUrl).toBe(url);
    }

    // Let everything settle: appends stop, every node's ledger is acknowledged to its head.
    for (const node of nodes) await node.stopAppending();
    for (const node of nodes) {
      const head = node.ledger.durable.seq;
      await vi.waitFor(() => expect(node.sync.ackedSeq, `${node.id} acked`).toBe(head), {
        timeout: 30_000,
        interval: 20,
      });
    }
    // A clean stop after all those crashes ends well too.
    expect(await stopGateway(gateway), gateway.stderr()).toBe(0);

    const site = new Store(join(gatewayDir, "gateway.db"));
    defer(async () => site.close());
    const chains: LedgerEntry[][] = [];
    for (const node of nodes) {
      const own = await allEntries(node.ledger);
      const stored = [...site.entries(node.id)];
      chains.push(stored);
      expect(own.length).toBe(node.ledger.durable.seq);
      expect(own.length).toBeGreaterThan(100);
      expect(site.node(node.id)).toMatchObject({
        state: "ok",
        broken: null,
        head: node.ledger.durable,
      });
      expect(stored.map((entry) => entry.seq)).toEqual(range(1, own.length));
      expect(stored).toEqual(own);
      expect(node.sync.ackedSeq).toBeLessThanOrEqual(site.node(node.id)?.head.seq ?? -1);
      // Each movement projected exactly once: one row in the movement history per entry.
      const movementSeqs = own.filter((entry) => entry.type === MOVEMENT_TYPE).map((e) => e.seq);
      const history = site.movements({ node: node.id, limit: 1_000_000 });
      expect(history.map((row) => row.seq).sort((a, b) => a - b)).toEqual(movementSeqs);
    }
    const stock = site.stock().sort(byRow);
    expect(stock.length).toBeGreaterThan(0);
    expect(stock).toEqual(foldStock(chains));
    expect(stock).toEqual(foldStock(await Promise.all(nodes.map((n) => allEntries(n.ledger)))));
  });
});

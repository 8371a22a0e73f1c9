import type { KeyObject } from "node:crypto";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeShelfNodeConfig } from "@comptoir/cli/bench/shelf-node-config";
import { type LedgerEntry, loadIdentity, MOVEMENT_TYPE, type StockRow } from "@comptoir/contracts";
import { Ledger, verifyLedgerDir } from "@comptoir/device";
import { issueTerminalToken } from "@comptoir/device/node/testing";
import { GatewayConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { postProduct } from "./support/catalog.js";
import {
  killHard,
  type NodeProcess,
  startNodeProcess,
  stopCleanly,
} from "./support/node-process.js";

const NODE = "aisle-a";
const SITE = "lyon-1";
const BAYS = ["shelf-a1", "shelf-a2", "shelf-a3", "shelf-a4"];
const GTINS = ["04012345123456", "04012345654325"];
/** The catalog's products of those GTINs: the gateway counts the cases under them. */
const PRODUCTS = GTINS.map((gtin, i) => ({ sku: `SKU-CASE-${i + 1}`, gtin }));
const productOf = (gtin: string) => PRODUCTS.find((product) => product.gtin === gtin)?.sku;
const PER_WAVE = 20;
const WAVES = 8;
const WAVE_EVERY_MS = 1200;

/**
 * A shelf whose bays fill over about 8 s: wave k puts 20 cases of one GTIN
 * in one bay, where they stay. Every new connection to the simulator replays
 * this from the start, so after a restart the node sees the same tags in the
 * same bays again: for tags it already put there, that changes nothing.
 */
function waves() {
  return Array.from({ length: WAVES }, (_, k) => ({
    gtin: GTINS[Math.floor(k / BAYS.length)] as string,
    bay: k % BAYS.length,
    firstSerial: 1 + k * 1000,
    from: k * WAVE_EVERY_MS,
  }));
}

const scenario = parseScenario({
  name: "bays filling",
  populations: waves().map((wave) => ({
    count: PER_WAVE,
    gtin: wave.gtin,
    firstSerial: wave.firstSerial,
    antennas: [wave.bay + 1],
    from: wave.from,
    rate: 3,
    rssi: -58,
  })),
});

const byRow = (a: StockRow, b: StockRow) =>
  a.zone.localeCompare(b.zone) ||
  (a.sku ?? "").localeCompare(b.sku ?? "") ||
  (a.gtin ?? "").localeCompare(b.gtin ?? "");

/**
 * What the scenario leaves on the shelf: every wave in its bay. The node,
 * which has no catalog, counts the SGTIN cases under their GTIN (never a
 * SKU); the gateway under the product its catalog gives the GTIN.
 */
const expectedStock: StockRow[] = waves()
  .map((wave) => ({ sku: null, gtin: wave.gtin, zone: BAYS[wave.bay] as string, count: PER_WAVE }))
  .sort(byRow);
const expectedGatewayStock: StockRow[] = waves()
  .map((wave) => ({
    sku: productOf(wave.gtin) ?? null,
    zone: BAYS[wave.bay] as string,
    count: PER_WAVE,
  }))
  .sort(byRow);

const StockResponse = z.object({
  rows: z.array(
    z.object({
      sku: z.string().nullable(),
      gtin: z.string().optional(),
      zone: z.string(),
      count: z.number(),
    }),
  ),
});
const MovementsResponse = z.object({
  movements: z.array(z.object({ seq: z.number(), epc: z.string(), kind: z.string() })),
});
const HealthResponse = z.object({
  parts: z.object({ ledger: z.object({ detail: z.string() }) }),
});
const MovementData = z.object({
  epc: z.string(),
  sku: z.string().nullable(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

/** The test's terminal token for the node's local API (issued in its data directory). */
let terminalToken = "";

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${terminalToken}` } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return schema.parse(await response.json());
}

const nodeStock = async (node: NodeProcess) =>
  (await getJson(`${node.url}/api/v1/stock`, StockResponse)).rows.sort(byRow);

async function ledgerHead(node: NodeProcess): Promise<number> {
  const { detail } = (await getJson(`${node.url}/health`, HealthResponse)).parts.ledger;
  const seq = /head seq (\d+)/.exec(detail)?.[1];
  if (seq === undefined) throw new Error(`no head seq in the ledger's health: ${detail}`);
  return Number(seq);
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface SiteRun {
  stock: StockRow[];
  gatewayStock: StockRow[];
  /** The node's ledger after a clean stop, every entry. */
  entries: LedgerEntry[];
  gatewayHead: { seq: number; hash: string };
  gatewayState: string | undefined;
  ledgerDir: string;
  publicKey: KeyObject;
}

interface BeforeKill {
  /** Movements the gateway had stored (so acknowledged to the node) when the node was killed. */
  atGateway: { seq: number; epc: string; kind: string }[];
  /** Movements the node's own API reported as recorded when it was killed. */
  atNode: { seq: number; epc: string; kind: string }[];
}

/**
 * A gateway in this process, the simulated shelf reader over TCP, and
 * `comptoir node` as a child process. With `killAfter`, the node is killed
 * with SIGKILL once the gateway stored that many movements, then started
 * again on the same data directory.
 */
async function runSite(killAfter?: number): Promise<{ run: SiteRun; beforeKill?: BeforeKill }> {
  const root = await mkdtemp(join(tmpdir(), "comptoir-node-crash-"));
  const gateway = await GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site: SITE },
      // Over TLS: the gateway makes its site CA, the node pins it from the enrollment answer.
      mqtt: { embedded: { port: 0, tls: true } },
      http: { listen: "127.0.0.1:0" },
    }),
    dataDir: join(root, "gateway"),
  });
  cleanups.push(() => gateway.stop());
  for (const { sku, gtin } of PRODUCTS) {
    const res = await postProduct(gateway.url, gateway.firstAdminToken, {
      sku,
      gtin,
      name: `Case ${gtin}`,
    });
    if (res.status !== 201) throw new Error(`POST /products ${sku}: ${await res.text()}`);
  }
  const reader = await serveSimulatedReader({ protocol: "thingmagic", scenario, rate: 2000 });
  cleanups.push(() => reader.close());

  const nodeDir = join(root, "node");
  const dataDir = join(nodeDir, "data");
  const config = await writeShelfNodeConfig({
    gateway,
    nodeDir,
    node: NODE,
    site: SITE,
    reader: { id: "aisle-a", url: reader.url },
    bays: BAYS,
    extra: {
      ledger: { groupCommitMs: 2 },
      // Tags never leave their bays: a slow start must not make them look picked.
      smoothing: { lostTimeoutMs: 60_000 },
    },
  });

  await mkdir(dataDir, { recursive: true });
  terminalToken = issueTerminalToken(dataDir, "admin");
  let node = await startNodeProcess(config);
  cleanups.push(() => stopCleanly(node));
  let beforeKill: BeforeKill | undefined;
  const stored = () => gateway.store.movements({ node: NODE, limit: 10_000 });

  if (killAfter !== undefined) {
    await vi.waitFor(() => expect(stored().length).toBeGreaterThanOrEqual(killAfter), {
      timeout: 30_000,
      interval: 20,
    });
    const atNode = (
      await getJson(`${node.url}/api/v1/movements/recent?limit=200`, MovementsResponse)
    ).movements;
    const atGateway = stored().map(({ seq, epc, kind }) => ({ seq, epc, kind }));
    const victim = node;
    await killHard(victim);
    expect(victim.child.signalCode).toBe("SIGKILL");
    beforeKill = { atGateway, atNode };
    node = await startNodeProcess(config);
  }

  await vi.waitFor(async () => expect(await nodeStock(node)).toEqual(expectedStock), {
    timeout: 60_000,
    interval: 250,
  });
  const head = await ledgerHead(node);
  await vi.waitFor(() => expect(gateway.store.node(NODE)?.head.seq).toBeGreaterThanOrEqual(head), {
    timeout: 30_000,
    interval: 100,
  });
  const stock = await nodeStock(node);
  const gatewayStock = gateway.store.stock().sort(byRow);
  const record = gateway.store.node(NODE);
  const exit = await stopCleanly(node);
  expect(exit, node.stderr()).toBe(0);

  const ledgerDir = join(dataDir, "ledger");
  const keys = await loadIdentity(dataDir);
  const ledger = await Ledger.open({ dir: ledgerDir, chain: NODE, identity: keys });
  const entries: LedgerEntry[] = [];
  for await (const entry of ledger.readFrom(1)) entries.push(entry);
  await ledger.close();
  return {
    run: {
      stock,
      gatewayStock,
      entries,
      gatewayHead: { seq: record?.head.seq ?? 0, hash: record?.head.hash ?? "" },
      gatewayState: record?.state,
      ledgerDir,
      publicKey: keys.publicKey,
    },
    ...(beforeKill ? { beforeKill } : {}),
  };
}

/** The movements of a ledger, in a form that does not depend on timing: one line per tag. */
function movementsOf(entries: LedgerEntry[]) {
  return entries
    .filter((entry) => entry.type === MOVEMENT_TYPE)
    .map((entry) => {
      const { epc, sku, kind, from, to } = MovementData.parse(entry.data);
      return { epc, sku, kind, from, to };
    })
    .sort((a, b) => a.epc.localeCompare(b.epc));
}

describe("crash: comptoir node killed with SIGKILL while a shelf fills, then restarted", () => {
  it("ends with the stock and ledger of a run without the kill, and loses nothing acknowledged", async () => {
    const reference = (await runSite()).run;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    const { run: crashed, beforeKill } = await runSite(PER_WAVE + PER_WAVE / 2);
    if (beforeKill === undefined) throw new Error("the crash run did not kill the node");

    // The kill landed mid-scenario, after the gateway acknowledged some movements.
    expect(beforeKill.atGateway.length).toBeGreaterThanOrEqual(PER_WAVE);
    expect(beforeKill.atGateway.length).toBeLessThan(WAVES * PER_WAVE);

    // Stock: the scenario's, on the node and at the gateway, as without the kill.
    expect(reference.stock).toEqual(expectedStock);
    expect(crashed.stock).toEqual(expectedStock);
    expect(crashed.gatewayStock).toEqual(expectedGatewayStock);
    expect(reference.gatewayStock).toEqual(expectedGatewayStock);

    // Ledger: one put-away per tag into its bay (from nowhere: the shelf node has not seen it), exactly as without the kill (no tag twice).
    const movements = movementsOf(crashed.entries);
    expect(movements).toEqual(movementsOf(reference.entries));
    expect(movements).toHaveLength(WAVES * PER_WAVE);
    expect(new Set(movements.map((m) => m.epc)).size).toBe(WAVES * PER_WAVE);
    expect(movements.every((m) => m.kind === "putaway" && m.from === null)).toBe(true);

    // The ledger on disk verifies, signatures and chain, from its first entry.
    for (const run of [reference, crashed]) {
      const { result, tornBytes } = await verifyLedgerDir(run.ledgerDir, {
        publicKey: run.publicKey,
      });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(tornBytes).toBe(0);
      expect(result.ok && result.count).toBe(run.entries.length);
    }

    // Nothing acknowledged is lost: what the gateway stored and what the node's API
    // showed before the kill are in the restarted node's ledger, at the same seq.
    const bySeq = new Map(crashed.entries.map((entry) => [entry.seq, entry]));
    const survived = (m: { seq: number; epc: string; kind: string }) => {
      const entry = bySeq.get(m.seq);
      const data = entry ? MovementData.parse(entry.data) : undefined;
      return { seq: m.seq, epc: data?.epc, kind: data?.kind };
    };
    expect(beforeKill.atNode.length).toBeGreaterThan(0);
    expect(beforeKill.atGateway.map(survived)).toEqual(beforeKill.atGateway);
    expect(beforeKill.atNode.map(survived)).toEqual(beforeKill.atNode);

    // The gateway followed the restarted node's chain without a break.
    expect(crashed.gatewayState).toBe("ok");
    expect(crashed.gatewayHead.hash).toBe(bySeq.get(crashed.gatewayHead.seq)?.hash);
  }, 180_000);
});

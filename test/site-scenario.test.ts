import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import {
  type ChainIdentity,
  createIdentity,
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  type StockRow,
} from "@comptoir/contracts";
import { signedBatch } from "@comptoir/contracts/testing";
import { decodeIdentity, NodeRuntime, type Read, StreamTransport } from "@comptoir/device";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { Catalog, GatewayLedger, Ingest, Store } from "@comptoir/gateway";
import { sgtin96 } from "@comptoir/simulators";
import { afterEach, describe, expect, it, vi } from "vitest";

const GTIN = "04012345123456";
/** The product the catalog gives that GTIN: the gateway counts the SGTIN items under it. */
const SKU = "SKU-CRATE";
const ITEMS = 500;
const PICKED = 120;
const epcs = Array.from({ length: ITEMS }, (_, i) => sgtin96(GTIN, i + 1));
const T0 = Date.parse("2026-11-22T08:00:00.000Z");
const LOST_MS = 3000;
const running: NodeRuntime[] = [];

interface Started {
  runtime: NodeRuntime;
  identity: ChainIdentity;
}

afterEach(async () => {
  for (const runtime of running.splice(0)) await runtime.stop();
});

/** A node whose reader is connected but silent: the test hands it reads with exact times. */
async function startRuntime(
  root: string,
  id: string,
  role: "portal" | "shelf",
  zones: [string, string],
): Promise<Started> {
  const dataDir = join(root, id);
  const identity = await createIdentity(dataDir);
  const config = NodeConfigSchema.parse({
    node: { id, site: "lyon-1", role },
    readers: [
      {
        id: "r1",
        protocol: "line",
        url: "tcp://127.0.0.1:9",
        antennas: [
          { port: 1, zone: zones[0] },
          { port: 2, zone: zones[1] },
        ],
      },
    ],
    ledger: { groupCommitMs: 1 },
    smoothing: { lostTimeoutMs: LOST_MS },
  });
  const runtime = await NodeRuntime.start({
    config,
    dataDir,
    clock: new ManualClock(new Date(T0)),
    openTransport: async (url) =>
      new StreamTransport(
        url,
        new PassThrough(),
        async (stream) => void stream.destroy(),
        () => undefined,
      ),
  });
  running.push(runtime);
  return { runtime, identity };
}

/** A tag seen on one antenna four times, 100 ms apart, from `at`. */
function feed({ runtime }: Started, epc: string, antenna: number, at: number): void {
  const identity = decodeIdentity(epc);
  for (let i = 0; i < 4; i++) {
    const read: Read = {
      ...(identity ? { identity } : {}),
      epc,
      antenna,
      rssi: -55,
      hostTime: new Date(at + i * 100).toISOString(),
      reader: "r1",
    };
    runtime.handleRead(read);
  }
}

/** Lets time pass for the engine: tags not read since leave their zones. */
function pass({ runtime }: Started, to: number): void {
  runtime.engine.tick(to);
}

async function settled({ runtime }: Started, expected: StockRow[]): Promise<number> {
  await vi.waitFor(() => expect(runtime.stock()).toEqual(expected), {
    timeout: 20_000,
    interval: 50,
  });
  await runtime.ledger.flush();
  return runtime.ledger.durable.seq;
}

async function entriesOf(runtime: NodeRuntime, from: number, to: number): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const entry of runtime.ledger.readFrom(from)) if (entry.seq <= to) entries.push(entry);
  return entries;
}

describe("a site scenario: 500 items received, put away on two shelves, 120 picked and shipped", () => {
  it("gives exact stock per zone on each node, and at the gateway fed in time order", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-scenario-"));
    const portal = await startRuntime(root, "dock-1", "portal", ["yard", "dock"]);
    const shelf = await startRuntime(root, "shelf-1", "shelf", ["shelf-a", "shelf-b"]);
    const picked = [...epcs.slice(0, PICKED / 2), ...epcs.slice(ITEMS / 2, ITEMS / 2 + PICKED / 2)];

    // Receiving: every item through the dock door, outside antenna first, 20 ms apart.
    let t = T0;
    epcs.forEach((epc, i) => {
      feed(portal, epc, 1, t + i * 20);
      feed(portal, epc, 2, t + i * 20 + 500);
    });
    t += ITEMS * 20 + 1000 + LOST_MS;
    pass(portal, t);
    // A node has no catalog: its SGTIN items, commissioned by nobody, count under their GTIN
    // (a GTIN is never a SKU).
    const received = await settled(portal, [{ sku: null, gtin: GTIN, zone: "dock", count: ITEMS }]);

    // Put-away: half on each shelf; the others stay in view while the picked ones leave their bays.
    const bay = (epc: string) => (epcs.indexOf(epc) < ITEMS / 2 ? 1 : 2);
    for (const [i, epc] of epcs.entries()) feed(shelf, epc, bay(epc), t + i * 5);
    for (const step of [2500, 5000])
      for (const epc of epcs) if (!picked.includes(epc)) feed(shelf, epc, bay(epc), t + step);
    t += 6500;
    pass(shelf, t);
    const shelved = ITEMS / 2 - PICKED / 2;
    const shelfDone = await settled(shelf, [
      { sku: null, gtin: GTIN, zone: "picked", count: PICKED },
      { sku: null, gtin: GTIN, zone: "shelf-a", count: shelved },
      { sku: null, gtin: GTIN, zone: "shelf-b", count: shelved },
    ]);

    // Shipping: the picked items go out through the dock door, inside antenna first.
    picked.forEach((epc, i) => {
      feed(portal, epc, 2, t + i * 20);
      feed(portal, epc, 1, t + i * 20 + 500);
    });
    t += PICKED * 20 + 1000 + LOST_MS;
    pass(portal, t);
    const shipped = await settled(portal, [
      { sku: null, gtin: GTIN, zone: "dock", count: ITEMS - PICKED },
    ]);
    const portalMovements = portal.runtime.recentMovements(200);
    expect(portalMovements.filter((m) => m.kind === "ship")).toHaveLength(PICKED);

    // The gateway, fed in the order things happened, holds the site's stock, under the
    // product its catalog gives the GTIN.
    const store = new Store(join(root, "gateway.db"));
    new Catalog(store.db, new GatewayLedger(store, generateIdentity())).saveProduct(
      {
        sku: SKU,
        gtin: GTIN,
        name: "Crate",
        unitPrice: { amount: 1500, currency: "EUR" },
        unitCost: { amount: 900, currency: "EUR" },
      },
      { kind: "system", id: "test" },
      "create",
    );
    store.enrollNode("dock-1", portal.identity.publicKeyHex);
    store.enrollNode("shelf-1", shelf.identity.publicKeyHex);
    const ingest = new Ingest(store);
    const send = async (node: Started, from: number, to: number) => {
      const entries = await entriesOf(node.runtime, from, to);
      for (let i = 0; i < entries.length; i += 100) {
        const outcome = ingest.handleBatch(
          node.runtime.nodeId,
          signedBatch(node.identity, node.runtime.nodeId, entries.slice(i, i + 100)),
        );
        expect(outcome.kind).toBe("ack");
      }
    };
    await send(portal, 1, received);
    await send(shelf, 1, shelfDone);
    await send(portal, received + 1, shipped);
    expect(store.stock()).toEqual([
      { sku: SKU, zone: "shelf-a", count: shelved },
      { sku: SKU, zone: "shelf-b", count: shelved },
    ]);
    expect(store.tag(picked[0] as string).place).toEqual({ sku: SKU, gtin: GTIN, zone: null });
    store.close();
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_DOCK, readerConfig } from "@comptoir/cli/demo";
import { createIdentity, resolveStockRows } from "@comptoir/contracts";
import { type RunningNode, startNode } from "@comptoir/device";
import { GatewayConfigSchema, NodeConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore, type LiveEvent } from "@comptoir/gateway";
import { parseScenario, type SimulatorServer, serveSimulatedReader } from "@comptoir/simulators";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { postProduct } from "./support/catalog.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const GTIN = "04012345123456";
/** The product the catalog gives the pallet's GTIN. */
const SKU = "SKU-CASE";

/** A pallet of `count` cases walked in through a dock door: seen outside first, then inside. */
function inboundPallet(count: number) {
  const pallet = { count, gtin: GTIN, firstSerial: 1, rate: 6, rssi: -55 };
  return parseScenario({
    name: "inbound pallet",
    populations: [
      { ...pallet, antennas: [1], from: 0, to: 1500 },
      { ...pallet, antennas: [2], from: 1000, to: 2500 },
    ],
  });
}

describe("a site: simulated reader → portal node → embedded broker → gateway", () => {
  it("receives a pallet through the dock door, and the gateway's stock equals the node's", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-site-"));
    const gateway = await GatewayCore.start({
      config: GatewayConfigSchema.parse({
        gateway: { site: "lyon-1" },
        // Over TLS: the gateway makes its site CA, the node pins it from the enrollment answer.
        mqtt: { embedded: { port: 0, tls: true } },
        http: { listen: "127.0.0.1:0" },
      }),
      dataDir: join(root, "gateway"),
    });
    cleanups.push(() => gateway.stop());
    expect(gateway.mqttUrl).toMatch(/^mqtts:\/\//);

    const reader: SimulatorServer = await serveSimulatedReader({
      protocol: "thingmagic",
      scenario: inboundPallet(30),
      rate: 2000,
    });
    cleanups.push(() => reader.close());

    const dataDir = join(root, "dock-1");
    const identity = await createIdentity(dataDir);
    // As an administrator would: the token printed at first start, enrolment over the API.
    const token = gateway.firstAdminToken;
    expect(token).toBeDefined();
    const auth = { authorization: `Bearer ${token}` };
    const enrolled = await fetch(`${gateway.url}/api/v1/nodes`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ id: "dock-1", publicKey: identity.publicKeyHex }),
    });
    expect(enrolled.status).toBe(201);
    const { mqtt } = (await enrolled.json()) as {
      mqtt: { username: string; password: string; ca: string };
    };
    expect(mqtt.ca).toContain("-----BEGIN CERTIFICATE-----");
    // The catalog knows the cases' product by its GTIN: the gateway counts the tags under it.
    const product = await postProduct(gateway.url, token, { sku: SKU, gtin: GTIN });
    expect(product.status).toBe(201);
    const live: LiveEvent[] = [];
    const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/ws`);
    // Signed in by the first message (never the URL) once the snapshot comes.
    const snapshot = new Promise((resolve) => ws.once("message", resolve));
    ws.once("open", () => ws.send(JSON.stringify({ type: "auth", token })));
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (["movement", "stock", "node", "alert"].includes(message.type)) {
        live.push(message as LiveEvent);
      }
    });
    cleanups.push(async () => ws.close());
    await snapshot;
    const config = NodeConfigSchema.parse({
      node: { id: "dock-1", site: "lyon-1", role: "portal" },
      readers: [readerConfig(DEMO_DOCK, reader.url)],
      mqtt: { url: gateway.mqttUrl, ...mqtt },
      ledger: { groupCommitMs: 2 },
      http: { listen: "127.0.0.1:0" },
    });
    const node: RunningNode = await startNode({ config, dataDir });
    cleanups.push(() => node.stop());

    // The node counts the SGTIN items under their GTIN: a GTIN is never a SKU.
    await vi.waitFor(
      () =>
        expect(node.runtime.stock()).toEqual([{ sku: null, gtin: GTIN, zone: "dock", count: 30 }]),
      {
        timeout: 30_000,
        interval: 200,
      },
    );
    const head = node.runtime.ledger.durable.seq;
    await vi.waitFor(
      () => expect(gateway.store.node("dock-1")?.head.seq).toBeGreaterThanOrEqual(head),
      { timeout: 15_000, interval: 100 },
    );
    // The same items per zone, each under the product the gateway's catalog gives its GTIN.
    const nodeStock = resolveStockRows(node.runtime.stock(), gateway.store.skuOfGtin);
    expect(nodeStock).toEqual([{ sku: SKU, zone: "dock", count: 30 }]);
    expect(gateway.store.stock()).toEqual(nodeStock);
    expect(gateway.store.node("dock-1")?.state).toBe("ok");
    const movements = gateway.store.movements({ node: "dock-1", limit: 100 });
    expect(movements.every((m) => m.kind === "receive" && m.from === null && m.to === "dock")).toBe(
      true,
    );
    const apiStock = await (await fetch(`${gateway.url}/api/v1/stock`, { headers: auth })).json();
    expect(apiStock).toMatchObject({ rows: nodeStock });
    await vi.waitFor(() => {
      expect(live.filter((event) => event.type === "movement")).toHaveLength(30);
      expect(live.filter((event) => event.type === "stock").at(-1)?.data).toEqual({
        sku: SKU,
        zone: "dock",
        count: 30,
      });
    });
    const gatewayHealth = await (await fetch(`${gateway.url}/api/v1/health`)).json();
    expect(gatewayHealth).toMatchObject({ broker: { state: "up" } });
    const health = await (await fetch(`${node.url}/health`)).json();
    expect(health).toMatchObject({ ok: true });
  });
});

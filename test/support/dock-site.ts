import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_DOCK, readerConfig } from "@comptoir/cli/demo";
import { createIdentity, type NodeEventView } from "@comptoir/contracts";
import { type RunningNode, startNode } from "@comptoir/device";
import { type NodeCall, terminalClient } from "@comptoir/device/node/testing";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import type { GatewayCore } from "@comptoir/gateway";
import {
  LiveField,
  type SimulatorServer,
  serveSimulatedReader,
  sgtin96,
} from "@comptoir/simulators";
import WebSocket from "ws";
import { type CuttableLink, cuttableLink } from "./cuttable-link.js";
import { adminApi, startSiteGateway } from "./site-gateway.js";

/**
 * A site with one dock door for the sales-order tests: the gateway in
 * process (embedded broker, SQLite, API, live feed), one portal node
 * (in process, as the other cross-part tests run them) reading a simulated
 * reader over TCP in its real byte protocol, and connected to the broker
 * through a relay the test can cut. One product, one customer with a
 * 100.00 limit.
 */

export const SITE = "lyon-1";
export const GTIN = "03760123450997";
export const SKU = "CHAIR";
/** 150.00: one chair is over the customer's 100.00 limit. */
export const CHAIR = 15_000;
export const LIMIT = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the APIs, each checked by the tests' expects
type Json = any;

export interface DockSite {
  gateway: GatewayCore;
  /** The gateway's API under /api/v1, as an administrator. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  node: RunningNode;
  /** The dock node's local API, as a station terminal. */
  dock: NodeCall;
  link: CuttableLink;
  /** What the gateway's live feed (GET /ws) sent, in order. */
  live: { type: string; data: Json }[];
  /** What the node told its pages (alert and dock events), in order. */
  nodeEvents: NodeEventView[];
  /** New tags of the chair: a serial each. */
  newChairs(count: number): string[];
  /** The items walk through the door: inbound (yard then dock) or outbound (dock then yard). */
  crossDoor(epcs: string[], way: "in" | "out"): Promise<void>;
}

export async function startDockSite(
  root: string,
  cleanups: (() => Promise<unknown>)[],
): Promise<DockSite> {
  const gateway = await startSiteGateway(SITE, join(root, "gateway"));
  cleanups.push(() => gateway.stop());
  const { call: api, must } = adminApi(gateway);
  const eur = (amount: number) => ({ amount, currency: "EUR" });
  await must("POST", "/products", {
    sku: SKU,
    gtin: GTIN,
    name: "Oak chair",
    unitPrice: eur(CHAIR),
    unitCost: eur(6_000),
  });
  await must("POST", "/customers", {
    id: "acme",
    name: "ACME Joinery",
    creditLimit: eur(LIMIT),
    paymentTermsDays: 30,
  });

  const field = new LiveField();
  const reader: SimulatorServer = await serveSimulatedReader({
    protocol: "thingmagic",
    field,
    rate: 2000,
  });
  cleanups.push(() => reader.close());
  const dataDir = join(root, "dock-1");
  const identity = await createIdentity(dataDir);
  const enrolled = await must("POST", "/nodes", { id: "dock-1", publicKey: identity.publicKeyHex });
  const broker = new URL(gateway.mqttUrl);
  const link = await cuttableLink({ host: broker.hostname, port: Number(broker.port) });
  cleanups.push(() => link.close());
  const node = await startNode({
    config: NodeConfigSchema.parse({
      node: { id: "dock-1", site: SITE, role: "portal" },
      readers: [readerConfig(DEMO_DOCK, reader.url)],
      mqtt: { url: link.url, ...enrolled.mqtt, gatewayKey: enrolled.gateway.publicKey },
      // A pass ends after 1.5 s without a read (3 s by default): shorter tests.
      smoothing: { lostTimeoutMs: 1500 },
      ledger: { groupCommitMs: 2 },
      http: { listen: "127.0.0.1:0" },
    }),
    dataDir,
  });
  cleanups.push(() => node.stop());
  const nodeEvents: NodeEventView[] = [];
  const unsubscribe = node.runtime.subscribe((event) => {
    if (event.type === "alert" || event.type === "dock") nodeEvents.push(event);
  });
  cleanups.push(async () => unsubscribe());
  const dock = await terminalClient(node.url, dataDir, "station");

  const live: { type: string; data: Json }[] = [];
  const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/ws`);
  // Signed in (by the first message, never the URL) once the snapshot comes.
  const snapshot = new Promise((resolve) => ws.once("message", resolve));
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; data: Json };
    if (message.type === "alert" || message.type === "order") live.push(message);
  });
  cleanups.push(async () => ws.close());
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send(JSON.stringify({ type: "auth", token: gateway.firstAdminToken }));
  await snapshot;

  let serial = 0;
  return {
    gateway,
    api,
    node,
    dock,
    link,
    live,
    nodeEvents,
    newChairs: (count) => Array.from({ length: count }, () => sgtin96(GTIN, ++serial)),
    async crossDoor(epcs, way) {
      const [first, second] = way === "in" ? [1, 2] : [2, 1];
      for (const epc of epcs) field.show(epc, { antennas: [first], rssi: -58, periodMs: 100 });
      await sleep(500);
      for (const epc of epcs) field.show(epc, { antennas: [second], rssi: -52, periodMs: 100 });
      await sleep(500);
      for (const epc of epcs) field.hide(epc);
    },
  };
}

import {
  type ChainIdentity,
  generateIdentity,
  ManualClock,
  type OrderStateMessage,
  signGatewayPayload,
  siteTopics,
} from "@comptoir/contracts";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { connectAsync, type MqttClient } from "mqtt";
import type { RunningNode } from "../../index.js";
import { lineReader, nodeDataDir, startReaderless } from "./readerless.js";
import { type NodeCall, terminalClient } from "./terminal.js";

/**
 * A real portal node (runtime, ledger, sync, local HTTP) with a dock door
 * (antenna 1 in the yard, 2 on the dock), against a broker the test starts,
 * and a stand-in for the gateway that publishes signed, retained order
 * states (issue 15). Reads are handed to the runtime; its clock is the
 * test's, so a pass ends when the test moves the clock on.
 */

export const DOCK_SITE = "lyon-1";
export const DOCK_NODE = "dock-1";

export interface DockNode {
  node: RunningNode;
  clock: ManualClock;
  dataDir: string;
  /** The node's local API as a station terminal. */
  call: NodeCall;
  /** Items leave through the door (dock, then yard, then gone): one ship movement each. */
  ship(epcs: string[]): void;
  stop(): Promise<void>;
}

export async function startDockNode(
  brokerUrl: string,
  options: {
    gatewayKey: string;
    dataDir?: string;
    clock?: ManualClock;
    unknownOrders?: "allow-with-alert" | "refuse";
  },
): Promise<DockNode> {
  const dataDir = await nodeDataDir(options.dataDir, "comptoir-dock-");
  const clock = options.clock ?? new ManualClock("2026-12-07T09:00:00.000Z");
  const config = NodeConfigSchema.parse({
    node: { id: DOCK_NODE, site: DOCK_SITE, role: "portal" },
    readers: [
      lineReader("door", [
        { port: 1, zone: "yard" },
        { port: 2, zone: "dock" },
      ]),
    ],
    mqtt: { url: brokerUrl, gatewayKey: options.gatewayKey },
    ledger: { groupCommitMs: 1 },
    http: { listen: "127.0.0.1:0" },
    smoothing: { lostTimeoutMs: 1000 },
    ...(options.unknownOrders ? { dock: { unknownOrders: options.unknownOrders } } : {}),
  });
  const node = await startReaderless(config, dataDir, clock);
  const call = await terminalClient(node.url, dataDir, "station");
  return {
    node,
    clock,
    dataDir,
    call,
    ship(epcs) {
      const at = clock.now().getTime();
      for (const epc of epcs) {
        for (const ms of [0, 60, 120]) node.runtime.handleRead(read(epc, 2, at + ms));
        for (const ms of [300, 360, 420]) node.runtime.handleRead(read(epc, 1, at + ms));
      }
      // Past the lost timeout: the ticker ends the passes.
      clock.advance(5000);
    },
    stop: () => node.stop(),
  };
}

function read(epc: string, antenna: number, at: number) {
  return { epc, antenna, reader: "door", rssi: -55, hostTime: new Date(at).toISOString() };
}

/** The gateway's side of `orders/<order>`: states signed with its key, retained. */
export async function orderPublisher(
  brokerUrl: string,
  identity: ChainIdentity = generateIdentity(),
) {
  const client: MqttClient = await connectAsync(brokerUrl, {
    clientId: `gw-orders-${Math.random().toString(36).slice(2)}`,
  });
  const topics = siteTopics(DOCK_SITE);
  return {
    identity,
    client,
    /** Signed for its topic, as the gateway's SigningBus sends it. */
    async publish(state: OrderStateMessage) {
      const topic = topics.order(state.order);
      await client.publishAsync(topic, signGatewayPayload(identity, topic, { ...state }), {
        qos: 1,
        retain: true,
      });
    },
    /** Anything, as is (unsigned, forged, not JSON). */
    async raw(order: string, payload: string) {
      await client.publishAsync(topics.order(order), payload, { qos: 1, retain: true });
    },
    close: () => client.endAsync(),
  };
}

import { join } from "node:path";
import { createIdentity, generateIdentity, siteTopics } from "@comptoir/contracts";
import { startNode } from "@comptoir/device";
import { poll } from "@comptoir/device/node/testing";
import { NodeConfigSchema } from "@comptoir/firmware-config";
import { enrollWithCredentials, SigningBus } from "@comptoir/gateway";
import { cleanupAfterEach, embeddedBroker, tempDir } from "@comptoir/gateway/testing";
import { connectAsync, type MqttClient } from "mqtt";
import { describe, expect, it } from "vitest";

// Issue 15: the orders' states reach the nodes through the gateway's own
// broker, within the site's ACL. A node subscribes its site's orders/+ and
// nothing of another site; what the gateway publishes there leaves signed
// and is taken by a real node with the gateway's key.

const SITE = "lyon-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();

/** The QoS granted to each filter, 128 where the broker refused it. */
async function grants(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos: 1 })).map((grant) => grant.qos);
  } catch (error) {
    const packet = (error as { packet?: { granted: (number | { qos: number })[] } }).packet;
    if (!packet) throw error;
    return packet.granted.map((grant) => (typeof grant === "number" ? grant : grant.qos));
  }
}

describe("order states on the site's broker", () => {
  it("a node may subscribe its site's orders/+ and one order, not another site's", async () => {
    const { store, credentials, broker } = await embeddedBroker(defer, { site: SITE });
    const { mqtt } = enrollWithCredentials(
      store,
      credentials,
      "dock-1",
      generateIdentity().publicKeyHex,
    );
    const node = await connectAsync(broker.url, {
      clientId: "dock-1",
      reconnectPeriod: 0,
      ...mqtt,
    });
    defer(() => node.endAsync(true));
    expect(
      await grants(node, [
        topics.allOrders(),
        topics.order("SO-1"),
        siteTopics("paris-2").allOrders(),
        siteTopics("paris-2").order("SO-1"),
        "comptoir/+/orders/+",
        `comptoir/${SITE}/orders/#`,
      ]),
    ).toEqual([1, 1, 128, 128, 128, 128]);
  });

  it("a state the gateway publishes leaves signed and reaches a real node, which keeps it", async () => {
    const { store, credentials, broker, bus } = await embeddedBroker(defer, { site: SITE });
    const gatewayKey = generateIdentity();
    const signing = new SigningBus(bus, gatewayKey);
    const dataDir = join(await tempDir(defer, "comptoir-orders-acl-"), "dock-1");
    const identity = await createIdentity(dataDir);
    const { mqtt } = enrollWithCredentials(store, credentials, "dock-1", identity.publicKeyHex);
    const node = await startNode({
      config: NodeConfigSchema.parse({
        node: { id: "dock-1", site: SITE, role: "station" },
        readers: [],
        mqtt: { url: broker.url, ...mqtt, gatewayKey: gatewayKey.publicKeyHex },
        ledger: { groupCommitMs: 1 },
        http: { listen: "127.0.0.1:0" },
      }),
      dataDir,
      openTransport: async () => {
        throw new Error("no reader in this test");
      },
    });
    defer(() => node.stop());
    const refused: string[] = [];
    node.sync.on("refused", (topic, problem) => refused.push(`${topic}: ${problem}`));
    await poll(() => node.sync.connected).toBe(true);
    const state = {
      order: "SO-1",
      customer: "acme",
      customerName: "ACME Joinery",
      state: "held",
      reasons: [{ code: "over-limit", message: "over the credit limit by 50.00" }],
      version: 3,
      asOf: "2026-12-07T08:00:00.000Z",
    };
    await signing.publish(topics.order("SO-1"), JSON.stringify(state), { qos: 1, retain: true });
    await poll(() => node.runtime.orderStateOf("SO-1")).toMatchObject({
      state: "held",
      version: 3,
    });
    expect(refused).toEqual([]);
  });
});

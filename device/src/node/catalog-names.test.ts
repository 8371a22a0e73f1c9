import {
  type Catalog,
  generateIdentity,
  signGatewayPayload,
  siteTopics,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { startBroker } from "../sync/testing/index.js";
import {
  cleanupsAfterEach,
  DOCK_SITE,
  orderPublisher,
  poll,
  removeDir,
  startDockNode,
} from "./testing/index.js";

// Issue 17: a portal's pages name products, not only a counter's. Every node
// follows the catalog the gateway retains (signed), and GET /api/v1/products
// answers its names; a catalog the gateway did not sign is not taken.

const cleanups = cleanupsAfterEach();
const topics = siteTopics(DOCK_SITE);

function catalog(version: number, name: string): Catalog {
  return {
    version,
    currency: "EUR",
    asOf: "2026-12-07T08:00:00.000Z",
    products: [{ sku: "LAMP", gtin: "80614141123458", name, unitPrice: 15_000 }],
  };
}

describe("a portal node's product names", () => {
  it("come from the catalog the gateway signed, retained or sent later; a forged one is ignored", async () => {
    const broker = await startBroker(0);
    cleanups.push(() => broker.stop());
    const gateway = await orderPublisher(broker.url);
    cleanups.push(() => gateway.close());
    const publish = async (value: Catalog, signer = gateway.identity) =>
      gateway.client.publishAsync(
        topics.catalog(),
        signGatewayPayload(signer, topics.catalog(), { ...value }),
        { qos: 1, retain: true },
      );
    await publish(catalog(1, "Desk lamp"));
    const dock = await startDockNode(broker.url, { gatewayKey: gateway.identity.publicKeyHex });
    cleanups.push(() => removeDir(dock.dataDir));
    cleanups.push(() => dock.stop());

    const names = async () => (await dock.call("GET", "/products")).body.products;
    await poll(names).toEqual([{ sku: "LAMP", name: "Desk lamp", gtins: ["80614141123458"] }]);

    // Not signed by the gateway: refused, the names stay.
    const refused: string[] = [];
    dock.node.sync.on("refused", (topic, problem) => refused.push(`${topic}: ${problem}`));
    await publish(catalog(2, "Forged lamp"), generateIdentity());
    await poll(() => refused).toEqual([expect.stringContaining(topics.catalog())]);
    expect((await names())[0].name).toBe("Desk lamp");

    await publish(catalog(3, "Desk lamp, brass"));
    await poll(async () => (await names())[0].name).toBe("Desk lamp, brass");
  });
});

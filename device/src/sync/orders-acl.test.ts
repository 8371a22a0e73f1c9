import { siteTopics } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type TestBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { VerifyingGateway } from "./testing/gateway.js";

const fixture = new NodeFixture();
const brokers: TestBroker[] = [];

afterEach(async () => {
  await fixture.cleanup();
  for (const broker of brokers.splice(0)) await broker.stop();
});

describe("a broker whose ACL predates the orders' states", () => {
  it("refuses orders/+, and the node still connects and syncs its ledger", async () => {
    const orders = siteTopics(SITE).allOrders();
    const asked: string[] = [];
    const broker = await startBroker(0, {
      authorizeSubscribe: (_client, subscription, callback) => {
        asked.push(subscription.topic);
        // Negated: SUBACK 128, the way a broker refuses a filter its ACL does not allow.
        if (subscription.topic === orders) callback(null, null);
        else callback(null, subscription);
      },
    });
    brokers.push(broker);
    const ledger = await fixture.open();
    await fixture.append(5);
    const gateway = await VerifyingGateway.start({
      url: broker.url,
      site: SITE,
      node: NODE,
      publicKey: fixture.identity.publicKey,
    });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url);
    await gateway.until(() => gateway.head.seq >= ledger.durable.seq);
    expect(sync.connected).toBe(true);
    expect(gateway.head.seq).toBe(5);
    expect(asked).toContain(orders);
  });
});

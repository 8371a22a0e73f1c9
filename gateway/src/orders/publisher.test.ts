import {
  generateIdentity,
  type OrderStateMessage,
  siteTopics,
  verifyGatewayPayload,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import type { BusPublishOptions, GatewayBus } from "../bus/bus.js";
import { SigningBus } from "../bus/signing.js";
import { OrderStatePublisher } from "./publisher.js";

const held: OrderStateMessage = {
  order: "SO-1001",
  customer: "C-1",
  customerName: "Quincaillerie Martin",
  state: "held",
  reasons: [{ code: "over-limit", message: "over the credit limit by 120.00" }],
  version: 3,
  asOf: "2026-12-07T04:00:00.000Z",
};

function memoryBus(fail = false) {
  const published: { topic: string; payload: string; options: BusPublishOptions }[] = [];
  const bus: GatewayBus = {
    subscribe: async () => {},
    publish: async (topic, payload, options) => {
      if (fail) throw new Error("broker gone");
      published.push({ topic, payload: payload.toString(), options });
    },
    close: async () => {},
  };
  return { bus, published };
}

describe("OrderStatePublisher", () => {
  it("publishes the state retained, QoS 1, on the order's topic, signed for that topic", async () => {
    const gateway = generateIdentity();
    const { bus, published } = memoryBus();
    await new OrderStatePublisher(new SigningBus(bus, gateway), "s1").publish(held);
    expect(published).toHaveLength(1);
    const [sent] = published;
    expect(sent?.topic).toBe(siteTopics("s1").order("SO-1001"));
    expect(sent?.options).toEqual({ qos: 1, retain: true });
    const value = JSON.parse(sent?.payload ?? "null");
    expect(verifyGatewayPayload(sent?.topic ?? "", value, gateway.publicKey)).toEqual({
      ok: true,
      value: held,
    });
  });

  it("sends nothing that breaks the contract, and does not throw", async () => {
    const { bus, published } = memoryBus();
    const publisher = new OrderStatePublisher(bus, "s1");
    await publisher.publish({ ...held, version: 0 });
    await publisher.publish({ ...held, state: "on-hold" } as unknown as OrderStateMessage);
    expect(published).toEqual([]);
  });

  it("logs a broker failure instead of throwing into the caller", async () => {
    const { bus } = memoryBus(true);
    await expect(new OrderStatePublisher(bus, "s1").publish(held)).resolves.toBeUndefined();
  });
});

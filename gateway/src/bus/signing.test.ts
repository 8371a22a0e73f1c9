import { generateIdentity, siteTopics, verifyGatewayPayload } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import type { GatewayBus } from "./bus.js";
import { SigningBus } from "./signing.js";

const topics = siteTopics("s1");

function memoryBus() {
  const published: { topic: string; payload: string }[] = [];
  const bus: GatewayBus = {
    subscribe: async () => {},
    publish: async (topic, payload) => {
      published.push({ topic, payload: payload.toString() });
    },
    close: async () => {},
  };
  return { bus, published };
}

describe("what the gateway sends to nodes leaves signed", () => {
  const gateway = generateIdentity();

  it("signs acks, commands, credit snapshots, the catalog and the site's locale, each for its own topic", async () => {
    const { bus, published } = memoryBus();
    const signing = new SigningBus(bus, gateway);
    const sent = [
      [topics.nodeAck("dock-1"), { type: "ack", seq: 3 }],
      [topics.nodeCmd("dock-1"), { type: "broken", seq: 4, reason: "bad hash", scope: "chain" }],
      [topics.credit("C-1"), { customer: "C-1", version: 2 }],
      [topics.catalog(), { version: 1, products: [] }],
      [topics.locale(), { locale: "fr-FR", currency: "EUR", timeZone: "Europe/Paris" }],
    ] as const;
    for (const [topic, message] of sent)
      await signing.publish(topic, JSON.stringify(message), { qos: 1 });
    sent.forEach(([topic, message], i) => {
      const value = JSON.parse(published[i]?.payload ?? "null");
      expect(value.sig).toMatch(/^[0-9a-f]{128}$/);
      expect(verifyGatewayPayload(topic, value, gateway.publicKey)).toEqual({
        ok: true,
        value: message,
      });
    });
    // An ack for dock-1 is worth nothing on shelf-1's topic, nor under another key.
    const ack = JSON.parse(published[0]?.payload ?? "null");
    expect(verifyGatewayPayload(topics.nodeAck("shelf-1"), ack, gateway.publicKey)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("bad signature"),
    });
    expect(
      verifyGatewayPayload(topics.nodeAck("dock-1"), ack, generateIdentity().publicKey),
    ).toMatchObject({ ok: false });
  });

  it("leaves other topics and cleared retained messages as they are", async () => {
    const { bus, published } = memoryBus();
    const signing = new SigningBus(bus, gateway);
    await signing.publish(topics.nodeStatus("dock-1"), '{"state":"offline","node":"dock-1"}', {
      qos: 1,
    });
    await signing.publish(topics.credit("C-1"), "", { qos: 1, retain: true });
    expect(published.map((message) => message.payload)).toEqual([
      '{"state":"offline","node":"dock-1"}',
      "",
    ]);
  });
});

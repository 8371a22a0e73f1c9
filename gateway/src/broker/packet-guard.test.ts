import fc from "fast-check";
import mqttPacket from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { FixedHeaderReader } from "./packet-guard.js";

/** Real MQTT packets as a node sends them: CONNECT, PUBLISH of a given body size, PINGREQ. */
function packets(bodies: number[]): Buffer {
  const connect = mqttPacket.generate({
    cmd: "connect",
    protocolId: "MQTT",
    protocolVersion: 4,
    clean: true,
    clientId: "dock-1",
    keepalive: 30,
    username: "dock-1",
    password: Buffer.from("s3cret"),
  });
  const publishes = bodies.map((size, i) =>
    mqttPacket.generate({
      cmd: "publish",
      topic: "comptoir/site-1/node/dock-1/ledger",
      payload: Buffer.alloc(size, 0x20),
      qos: 1,
      messageId: i + 1,
      dup: false,
      retain: false,
    }),
  );
  const ping = mqttPacket.generate({ cmd: "pingreq" });
  return Buffer.concat([connect, ...publishes, ping]);
}

/** Feeds `stream` cut at `cuts`; what the reader said, first complaint only. */
function feed(stream: Buffer, cuts: number[], limit: number) {
  const reader = new FixedHeaderReader();
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < stream.length)].sort((a, b) => a - b)) {
    const verdict = reader.feed(stream.subarray(at, cut), limit);
    if (verdict !== undefined) return verdict;
    at = cut;
  }
  return reader.feed(stream.subarray(at), limit);
}

describe("MQTT packet size guard", () => {
  it("lets any chunking of valid packets under the limit through", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (bodies, cuts) => {
          const stream = packets(bodies);
          expect(
            feed(
              stream,
              cuts.map((c) => c % (stream.length + 1)),
              64 * 1024,
            ),
          ).toBeUndefined();
        },
      ),
    );
  });

  it("names the size of the first packet over the limit, however the bytes are cut", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        const stream = packets([100, 70_000, 100]);
        const verdict = feed(
          stream,
          cuts.map((c) => c % (stream.length + 1)),
          64 * 1024,
        );
        expect(verdict).toBeGreaterThan(70_000);
        expect(verdict).toBeLessThan(70_100);
      }),
    );
  });

  it("reads a 200 MiB announcement from the 5 header bytes alone", () => {
    // CONNECT, remaining length 200 MiB as MQTT's variable-length integer.
    const header = Buffer.from([0x10, 0x80, 0x80, 0x80, 0x64]);
    expect(new FixedHeaderReader().feed(header, 1024 * 1024)).toBe(200 * 1024 * 1024);
  });

  it("calls a length with a fifth continuation byte malformed", () => {
    const header = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(new FixedHeaderReader().feed(header, 1024 * 1024)).toBe("malformed");
  });
});

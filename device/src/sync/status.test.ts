import { type NodeStatus, siteTopics } from "@comptoir/contracts";
import { connectAsync } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { readStatus } from "./status.js";
import { startBroker, type TestBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { eventually } from "./testing/record.js";

const fixture = new NodeFixture();
let broker: TestBroker | undefined;
const topic = siteTopics(SITE).nodeStatus(NODE);

afterEach(async () => {
  await fixture.cleanup();
  await broker?.stop();
  broker = undefined;
});

/** Subscribes afresh and returns the statuses it gets, with their retain flag. */
async function watchStatus(url: string) {
  const client = await connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  fixture.defer(() => client.endAsync(true));
  const seen: { status: NodeStatus | undefined; retained: boolean }[] = [];
  client.on("message", (_topic, payload, packet) => {
    seen.push({ status: readStatus(payload), retained: packet.retain });
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return seen;
}

describe("node status", () => {
  it("is retained online with version, head, acknowledged seq and reader states", async () => {
    broker = await startBroker();
    const ledger = await fixture.open();
    await fixture.append(50);
    const sync = await fixture.sync(broker.url, {
      readers: () => [
        { id: "portal-a", state: "reading" },
        { id: "portal-b", state: "degraded", detail: "unplugged, reopening" },
      ],
    });
    await new Promise<void>((resolve) => sync.once("connected", () => resolve()));
    const seen = await watchStatus(broker.url);
    await eventually(() => seen.length > 0);
    expect(seen[0]).toEqual({
      retained: true,
      status: {
        state: "online",
        node: NODE,
        version: "0.1.0-test",
        headSeq: ledger.durable.seq,
        ackedSeq: 0,
        readers: [
          { id: "portal-a", state: "reading" },
          { id: "portal-b", state: "degraded", detail: "unplugged, reopening" },
        ],
        ts: expect.stringMatching(/Z$/),
      },
    });
  });

  it("becomes offline by the last will when the node's connection dies", async () => {
    broker = await startBroker();
    await fixture.open();
    const sync = await fixture.sync(broker.url, { clientOptions: { reconnectPeriod: 60_000 } });
    await new Promise<void>((resolve) => sync.once("connected", () => resolve()));
    const live = await watchStatus(broker.url);
    await eventually(() => live.some((seen) => seen.status?.state === "online"));

    sync.mqtt.stream.destroy();
    await eventually(() => live.some((seen) => seen.status?.state === "offline"));
    const later = await watchStatus(broker.url);
    await eventually(() => later.length > 0);
    expect(later[0]).toEqual({ retained: true, status: { state: "offline", node: NODE } });
  });

  it("publishes offline, retained, on a clean close", async () => {
    broker = await startBroker();
    await fixture.open();
    const sync = await fixture.sync(broker.url);
    await new Promise<void>((resolve) => sync.once("connected", () => resolve()));
    await sync.close();
    const later = await watchStatus(broker.url);
    await eventually(() => later.length > 0);
    expect(later[0]).toEqual({ retained: true, status: { state: "offline", node: NODE } });
  });
});

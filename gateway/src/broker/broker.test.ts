import { once } from "node:events";
import { createServer } from "node:net";
import { generateIdentity, siteTopics } from "@comptoir/contracts";
import { buildChain, signedBatch } from "@comptoir/contracts/testing";
import {
  connect,
  connectAsync,
  ErrorWithSubackPacket,
  type IClientOptions,
  type MqttClient,
} from "mqtt";
import { describe, expect, it } from "vitest";
import { type EmbeddedBroker, enrollWithCredentials, startEmbeddedBroker } from "../index.js";
import { cleanupAfterEach, embeddedBroker, startIngest } from "../testing/broker.js";

const SITE = "site-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();

const dockKey = generateIdentity();
const shelfKey = generateIdentity();

/** A gateway on its embedded broker, with dock-1 and shelf-1 enrolled, and everything it hears. */
async function gateway() {
  const { store, credentials, broker, bus } = await embeddedBroker(defer, { site: SITE });
  const glue = await startIngest(defer, { bus, site: SITE, store });
  const heard: string[] = [];
  await bus.subscribe("comptoir/#", (topic) => heard.push(topic));
  const dock = enrollWithCredentials(store, credentials, "dock-1", dockKey.publicKeyHex).mqtt;
  const shelf = enrollWithCredentials(store, credentials, "shelf-1", shelfKey.publicKeyHex).mqtt;
  return { store, broker, bus, glue, heard, dock, shelf };
}

async function client(broker: EmbeddedBroker, options: IClientOptions): Promise<MqttClient> {
  const connected = await connectAsync(broker.url, { reconnectPeriod: 0, ...options });
  defer(() => connected.endAsync(true));
  return connected;
}

/** Why the broker refused the connection (the CONNACK's reason), or "connected". */
async function tryConnect(broker: EmbeddedBroker, options: IClientOptions): Promise<string> {
  const attempt = connect(broker.url, { reconnectPeriod: 0, ...options });
  defer(() => attempt.endAsync(true));
  return new Promise((resolve) => {
    attempt.once("connect", () => resolve("connected"));
    attempt.once("error", (error) => resolve(error.message));
  });
}

/** The QoS granted to each filter, 128 where the broker refused it. */
async function grants(subscriber: MqttClient, filters: string[]): Promise<number[]> {
  try {
    const granted = await subscriber.subscribeAsync(filters, { qos: 1 });
    return granted.map((grant) => grant.qos);
  } catch (error) {
    // mqtt.js rejects a SUBACK holding a refusal; the packet still says which
    if (error instanceof ErrorWithSubackPacket)
      return error.packet.granted.map((grant) => (typeof grant === "number" ? grant : -1));
    throw error;
  }
}

async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("embedded broker: listening", () => {
  it("says the port is taken, and how to use the broker already there", async () => {
    const squatter = createServer();
    squatter.listen(0, "127.0.0.1");
    await once(squatter, "listening");
    defer(() => new Promise((resolve) => squatter.close(resolve)));
    const address = squatter.address();
    const port = typeof address === "object" && address ? address.port : 0;

    await expect(
      startEmbeddedBroker({
        site: SITE,
        host: "127.0.0.1",
        port,
        nodes: { node: () => undefined },
        credentials: { verify: () => false },
      }),
    ).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use (another MQTT broker?) — set mqtt.url: mqtt://127.0.0.1:${port} to use it, or choose another mqtt.embedded.port`,
    );
  });

  it("reports the port it bound when asked for any free one", async () => {
    const { broker } = await gateway();
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const probe = await tryConnect(broker, { clientId: "ghost-1", username: "ghost-1" });
    expect(probe).toMatch(/not authorized/i); // something MQTT answers there
  });
});

describe("embedded broker: per-node credentials", () => {
  it("refuses a node that is not enrolled at CONNECT, and nothing it sends is stored", async () => {
    const { broker, store, heard } = await gateway();
    const ghost = connect(broker.url, {
      clientId: "ghost-1",
      username: "ghost-1",
      password: "guess",
      reconnectPeriod: 0,
    });
    defer(() => ghost.endAsync(true));
    const key = generateIdentity();
    // mqtt.js would send this as soon as it is let in: it never is
    ghost.publish(
      topics.nodeLedger("ghost-1"),
      JSON.stringify({ node: "ghost-1", entries: buildChain("ghost-1", key, 5) }),
      { qos: 1 },
    );
    const error = await new Promise<Error>((resolve) => ghost.once("error", resolve));
    expect(error.message).toMatch(/not authorized/i);
    expect(store.node("ghost-1")).toBeUndefined();
    expect([...store.entries("ghost-1")]).toEqual([]);
    expect(heard).not.toContain(topics.nodeLedger("ghost-1"));
  });

  it("refuses a wrong or missing secret, another node's secret, and a client id that is not the node id", async () => {
    const { broker, dock, shelf } = await gateway();
    expect(await tryConnect(broker, { clientId: "dock-1", username: "dock-1" })).toMatch(
      /bad username or password/i,
    );
    expect(
      await tryConnect(broker, { clientId: "dock-1", username: "dock-1", password: "x" }),
    ).toMatch(/bad username or password/i);
    expect(
      await tryConnect(broker, {
        clientId: "dock-1",
        username: "dock-1",
        password: shelf.password,
      }),
    ).toMatch(/bad username or password/i);
    expect(
      await tryConnect(broker, {
        clientId: "shelf-1",
        username: "dock-1",
        password: dock.password,
      }),
    ).toMatch(/identifier rejected/i);
    expect(
      await tryConnect(broker, { clientId: "dock-1", username: "dock-1", password: dock.password }),
    ).toBe("connected");
  });
});

describe("embedded broker: topic ACLs", () => {
  it("disconnects a client publishing on another node's topics with its credentials: nothing reaches a subscriber or the store", async () => {
    const { broker, store, heard, dock, shelf } = await gateway();
    const shelfChain = buildChain("shelf-1", shelfKey, 8);
    for (const topic of [
      topics.nodeLedger("shelf-1"),
      topics.nodeStatus("shelf-1"),
      topics.nodeAck("dock-1"),
      topics.credit("C-1042"),
    ]) {
      const intruder = await client(broker, { clientId: "dock-1", ...dock });
      const closed = new Promise<void>((resolve) => intruder.once("close", resolve));
      intruder.publish(
        topic,
        JSON.stringify({ node: "shelf-1", entries: shelfChain }),
        { qos: 1, retain: topic.endsWith("status") },
        () => {},
      );
      await closed;
    }
    // A barrier: the genuine shelf node's own batch arrives after all of the above.
    const genuine = await client(broker, { clientId: "shelf-1", ...shelf });
    await genuine.publishAsync(
      topics.nodeLedger("shelf-1"),
      signedBatch(shelfKey, "shelf-1", shelfChain.slice(0, 2)),
      { qos: 1 },
    );
    await eventually(() => heard.includes(topics.nodeLedger("shelf-1")));
    // what the gateway heard, less its own ack to the genuine node
    expect(heard.filter((topic) => topic !== topics.nodeAck("shelf-1"))).toEqual([
      topics.nodeLedger("shelf-1"),
    ]);
    await eventually(() => store.node("shelf-1")?.head.seq === 2);
    expect([...store.entries("shelf-1")].map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it("refuses a subscription to another node's ack (and to wildcards over nodes), and delivers nothing of it", async () => {
    const { broker, bus, dock } = await gateway();
    const spy = await client(broker, { clientId: "dock-1", ...dock });
    const granted = await grants(spy, [
      topics.nodeAck("shelf-1"),
      topics.allNode("ack"),
      topics.nodeCmd("shelf-1"),
      "comptoir/#",
      topics.nodeAck("dock-1"),
      topics.catalog(),
    ]);
    expect(granted).toEqual([128, 128, 128, 128, 1, 1]);
    const received: string[] = [];
    spy.on("message", (topic) => received.push(topic));
    await bus.publish(topics.nodeAck("shelf-1"), JSON.stringify({ type: "ack", seq: 3 }), {
      qos: 1,
    });
    await bus.publish(topics.nodeCmd("shelf-1"), JSON.stringify({ type: "reload-config" }), {
      qos: 1,
    });
    await bus.publish(topics.nodeAck("dock-1"), JSON.stringify({ type: "ack", seq: 0 }), {
      qos: 1,
    });
    await eventually(() => received.length > 0);
    expect(received).toEqual([topics.nodeAck("dock-1")]);
  });

  it("lets a node publish its own ledger and status and read its ack, credit and catalog", async () => {
    const { broker, bus, glue, store, dock } = await gateway();
    const node = await client(broker, { clientId: "dock-1", ...dock });
    await node.subscribeAsync([topics.nodeAck("dock-1"), topics.allCredit(), topics.catalog()], {
      qos: 1,
    });
    const received: string[] = [];
    node.on("message", (topic) => received.push(topic));
    await bus.publish(topics.credit("C-1042"), "{}", { qos: 1, retain: true });
    await node.publishAsync(
      topics.nodeStatus("dock-1"),
      JSON.stringify({ state: "offline", node: "dock-1" }),
      { qos: 1, retain: true },
    );
    await node.publishAsync(
      topics.nodeLedger("dock-1"),
      signedBatch(dockKey, "dock-1", buildChain("dock-1", dockKey, 3)),
      { qos: 1 },
    );
    await eventually(() => received.includes(topics.nodeAck("dock-1")));
    expect(received).toEqual([topics.credit("C-1042"), topics.nodeAck("dock-1")]);
    expect(store.node("dock-1")?.head.seq).toBe(3);
    expect(glue.status("dock-1")?.status).toEqual({ state: "offline", node: "dock-1" });
  });
});

import { once } from "node:events";
import { type Socket, connect as tcpConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { generateIdentity, siteTopics } from "@comptoir/contracts";
import { buildChain } from "@comptoir/contracts/testing";
import { connectAsync } from "mqtt";
import { describe, expect, it } from "vitest";
import { type BrokerLimits, enrollWithCredentials, ensureSiteCa, type SiteCa } from "../index.js";
import { cleanupAfterEach, embeddedBroker, tempDir } from "../testing/broker.js";

/**
 * Issue 13 item 3: what a client that never logs in may cost the embedded
 * broker. Raw sockets play the attacker; a genuine node syncs meanwhile.
 */

const SITE = "site-1";
const topics = siteTopics(SITE);
const MiB = 1024 * 1024;
const defer = cleanupAfterEach();

const dockKey = generateIdentity();
const chain = buildChain("dock-1", dockKey, 6);

async function gateway(limits: Partial<BrokerLimits>, tls?: SiteCa) {
  const { store, credentials, broker, bus } = await embeddedBroker(defer, {
    site: SITE,
    limits,
    ...(tls ? { tls } : {}),
  });
  // What the gateway receives of the node's ledger: the batches' first seqs.
  const heard: number[] = [];
  await bus.subscribe(topics.nodeLedger("dock-1"), (_topic, payload) => {
    heard.push(JSON.parse(payload.toString()).entries[0].seq);
  });
  const dock = enrollWithCredentials(store, credentials, "dock-1", dockKey.publicKeyHex).mqtt;
  return { broker, dock, heard };
}

/**
 * The enrolled dock node, logged in, and a way to send part of its chain and
 * wait until the gateway has it (what ingest then does is not this file's matter).
 */
async function dockNode(
  url: string,
  credentials: { username: string; password: string },
  heard: number[],
) {
  const node = await connectAsync(url, { clientId: "dock-1", reconnectPeriod: 0, ...credentials });
  defer(() => node.endAsync(true));
  return {
    async sync(from: number, to: number) {
      const entries = chain.slice(from - 1, to);
      await node.publishAsync(
        topics.nodeLedger("dock-1"),
        JSON.stringify({ node: "dock-1", entries }),
        { qos: 1 },
      );
      await eventually(() => heard.includes(from));
    },
  };
}

/** A raw TCP connection to the broker that records when the broker closes it. */
async function rawSocket(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = tcpConnect({ host: "127.0.0.1", port });
  defer(async () => socket.destroy());
  let closed = false;
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
  });
  await once(socket, "connect");
  return { socket, closed: () => closed };
}

/** MQTT fixed header: packet type byte, then the remaining length as MQTT's variable-length integer. */
function fixedHeader(type: number, remaining: number): Buffer {
  const bytes = [type];
  let left = remaining;
  do {
    let byte = left % 128;
    left = Math.floor(left / 128);
    if (left > 0) byte |= 0x80;
    bytes.push(byte);
  } while (left > 0);
  return Buffer.from(bytes);
}

/** Announces a CONNECT of `announced` bytes, then sends zeros until `send` bytes went or the broker closed. */
async function floodConnect(port: number, announced: number, send: number): Promise<boolean> {
  const { socket, closed } = await rawSocket(port);
  const zeros = Buffer.alloc(MiB);
  socket.write(fixedHeader(0x10, announced));
  for (let sent = 0; sent < send && !closed(); sent += zeros.length) {
    if (!socket.write(zeros)) {
      await Promise.race([once(socket, "drain"), once(socket, "close")]).catch(() => {});
    }
  }
  // What the broker does with the bytes once they are all in: give it a moment to close.
  await eventually(closed, 2000).catch(() => {});
  return closed();
}

function retained(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe("embedded broker: limits before login", () => {
  it("closes a socket announcing a 200 MiB CONNECT without keeping its bytes, while an enrolled node keeps syncing", async () => {
    const { broker, dock, heard } = await gateway({});
    const node = await dockNode(broker.url, dock, heard);
    await node.sync(1, 2);
    const before = retained();
    // Four attackers at once, each streaming 32 MiB of a CONNECT that announces 200 MiB.
    const closed = await Promise.all(
      [1, 2, 3, 4].map(() => floodConnect(broker.port, 200 * MiB, 32 * MiB)),
    );
    const grown = retained() - before;
    expect(closed).toEqual([true, true, true, true]);
    // Without a limit the broker holds every byte sent (128 MiB here); with it, a few chunks.
    expect(grown).toBeLessThan(24 * MiB);
    await node.sync(3, 4);
    expect(heard).toEqual([1, 3]);
  });

  it("closes a logged-in node's packet over mqtt.embedded.maxPacketBytes", async () => {
    const { broker, dock } = await gateway({ maxPacketBytes: 64 * 1024 });
    const node = await connectAsync(broker.url, {
      clientId: "dock-1",
      reconnectPeriod: 0,
      ...dock,
    });
    defer(() => node.endAsync(true));
    node.on("error", () => {});
    const gone = new Promise<void>((resolve) => node.once("close", () => resolve()));
    void node
      .publishAsync(topics.nodeLedger("dock-1"), Buffer.alloc(128 * 1024, 0x20), { qos: 1 })
      .catch(() => {});
    await gone;
    expect(node.connected).toBe(false);
  });

  it("keeps at most maxPendingPerAddress idle sockets from one address while a logged-in node keeps syncing", async () => {
    const { broker, dock, heard } = await gateway({
      maxPendingPerAddress: 8,
      maxPendingConnections: 64,
      connectTimeoutMs: 60_000,
    });
    const node = await dockNode(broker.url, dock, heard);
    await node.sync(1, 2);
    const idle: Awaited<ReturnType<typeof rawSocket>>[] = [];
    for (let i = 0; i < 100; i++) idle.push(await rawSocket(broker.port));
    // The broker closes those beyond the cap as they arrive, without their saying anything.
    await eventually(() => idle.filter((s) => s.closed()).length >= 92);
    await node.sync(3, 6);
    expect(heard).toEqual([1, 3]);
    expect(idle.filter((s) => !s.closed())).toHaveLength(8);
  });

  it("over TLS, caps the sockets that never even start their handshake the same way", async () => {
    const dir = await tempDir(defer, "comptoir-broker-limits-ca-");
    const ca = await ensureSiteCa(dir, ["127.0.0.1"]);
    const { broker } = await gateway({ maxPendingPerAddress: 8, connectTimeoutMs: 60_000 }, ca);
    expect(broker.url).toMatch(/^mqtts:/);
    const idle: Awaited<ReturnType<typeof rawSocket>>[] = [];
    for (let i = 0; i < 50; i++) idle.push(await rawSocket(broker.port));
    await eventually(() => idle.filter((s) => s.closed()).length >= 42);
    expect(idle.filter((s) => !s.closed())).toHaveLength(8);
  });

  it("over TLS, closes a connection announcing a 200 MiB CONNECT after its handshake", async () => {
    const dir = await tempDir(defer, "comptoir-broker-limits-ca-");
    const ca = await ensureSiteCa(dir, ["127.0.0.1"]);
    const { broker } = await gateway({}, ca);
    const secure = tlsConnect({ host: "127.0.0.1", port: broker.port, ca: ca.ca });
    defer(async () => secure.destroy());
    secure.on("error", () => {});
    let closed = false;
    secure.on("close", () => {
      closed = true;
    });
    await once(secure, "secureConnect");
    secure.write(fixedHeader(0x10, 200 * MiB));
    const zeros = Buffer.alloc(MiB);
    for (let sent = 0; sent < 32 * MiB && !closed; sent += MiB) {
      if (!secure.write(zeros))
        await Promise.race([once(secure, "drain"), once(secure, "close")]).catch(() => {});
    }
    await eventually(() => closed);
  });

  it("closes a socket that sends no CONNECT within mqtt.embedded.connectTimeoutMs", async () => {
    const { broker } = await gateway({ connectTimeoutMs: 300 });
    const idle = await rawSocket(broker.port);
    // Aedes' own default is 30 s; the test gives up well before that.
    await eventually(idle.closed);
    expect(idle.closed()).toBe(true);
  });
});

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { delimiter, join } from "node:path";
import {
  type Ack,
  AckSchema,
  type ChainIdentity,
  generateIdentity,
  type LedgerEntry,
  siteTopics,
} from "@comptoir/contracts";
import { buildChain, signedBatch } from "@comptoir/contracts/testing";
import { Ledger, LedgerSync } from "@comptoir/device";
import type { GatewayBus } from "@comptoir/gateway";
import {
  connectExternalBus,
  enrollWithCredentials,
  ensureSiteCa,
  type MqttIngest,
  type SiteCa,
  Store,
  siteCaPaths,
} from "@comptoir/gateway";
import { cleanupAfterEach, embeddedBroker, startIngest, tempDir } from "@comptoir/gateway/testing";
import { connectAsync, type MqttClient } from "mqtt";
import { describe, expect, it } from "vitest";

const SITE = "site-1";
const topics = siteTopics(SITE);
const defer = cleanupAfterEach();

interface NodeLogin {
  url: string;
  username?: string;
  password?: string;
  /** With TLS: the PEM the node pins (its mqtt.ca). */
  ca?: string;
}

/** A gateway (store, verified ingest, MQTT glue) on a broker, with nodes enrolled on it. */
interface Site {
  store: Store;
  glue: MqttIngest;
  /** Enrolls a node; returns what it connects with. */
  enroll(node: string, identity: ChainIdentity): NodeLogin;
}

type SiteFactory = () => Promise<Site>;

async function gatewayOn(bus: GatewayBus): Promise<{ store: Store; glue: MqttIngest }> {
  const store = new Store(join(await tempDir(defer, "comptoir-gw-"), "store.db"));
  defer(async () => store.close());
  return { store, glue: await startIngest(defer, { bus, site: SITE, store }) };
}

/** A site CA made for a test, as the gateway makes it at first start, and where its files are. */
async function testSiteCa(): Promise<{ ca: SiteCa; files: ReturnType<typeof siteCaPaths> }> {
  const dir = await tempDir(defer, "comptoir-site-ca-");
  return { ca: await ensureSiteCa(dir, ["localhost", "127.0.0.1"]), files: siteCaPaths(dir) };
}

const embeddedSite =
  (tls: boolean): SiteFactory =>
  async () => {
    const ca = tls ? (await testSiteCa()).ca : undefined;
    const { store, credentials, broker, bus } = await embeddedBroker(defer, {
      site: SITE,
      ...(ca ? { tls: ca } : {}),
    });
    const glue = await startIngest(defer, { bus, site: SITE, store });
    return {
      store,
      glue,
      enroll(node, identity) {
        const { mqtt } = enrollWithCredentials(store, credentials, node, identity.publicKeyHex);
        return { url: broker.url, ...mqtt, ...(ca ? { ca: ca.ca } : {}) };
      },
    };
  };

const mosquittoSite =
  (tls: boolean): SiteFactory =>
  async () => {
    const pki = tls ? await testSiteCa() : undefined;
    const url = await startMosquitto(pki?.files);
    const bus = await connectExternalBus({
      url,
      clientId: `comptoir-gateway-${SITE}`,
      ...(pki ? { ca: pki.files.caCert } : {}),
    });
    defer(() => bus.close());
    const { store, glue } = await gatewayOn(bus);
    return {
      store,
      glue,
      enroll(node, identity) {
        store.enrollNode(node, identity.publicKeyHex);
        return { url, ...(pki ? { ca: pki.ca.ca } : {}) };
      },
    };
  };

/** A node speaking MQTT by hand: publishes the batches it is given and records its acks. */
async function rawNode(login: NodeLogin, node: string, identity: ChainIdentity) {
  const client: MqttClient = await connectAsync(login.url, {
    clientId: node,
    username: login.username,
    password: login.password,
    ...(login.ca ? { ca: login.ca } : {}),
    reconnectPeriod: 0,
  });
  defer(() => client.endAsync());
  const acks: Ack[] = [];
  client.on("message", (_topic, payload) =>
    acks.push(AckSchema.parse(JSON.parse(payload.toString()))),
  );
  await client.subscribeAsync(topics.nodeAck(node), { qos: 1 });
  return {
    acks,
    send: (entries: readonly LedgerEntry[]) =>
      client.publishAsync(topics.nodeLedger(node), signedBatch(identity, node, entries), {
        qos: 1,
      }),
    /** A payload as it is, e.g. altered after signing. */
    publishRaw: (payload: string) =>
      client.publishAsync(topics.nodeLedger(node), payload, { qos: 1 }),
    /** Resolves once `count` answers have arrived. */
    answers: (count: number) => eventually(() => acks.length >= count),
  };
}

/** A real node: a ledger on disk and the node's own sync. */
async function realNode(login: NodeLogin, node: string, identity: ChainIdentity) {
  const dataDir = await tempDir(defer, `comptoir-${node}-`);
  const ledgerDir = join(dataDir, "ledger");
  const ledger = await Ledger.open({
    dir: ledgerDir,
    chain: node,
    identity,
    groupCommitMs: 2,
    checkpointEvery: 50,
  });
  defer(() => ledger.close());
  const sync = await LedgerSync.start({
    node,
    identity,
    site: SITE,
    version: "0.1.0-test",
    mqtt: {
      url: login.url,
      username: login.username,
      password: login.password,
      ...(login.ca ? { ca: login.ca } : {}),
    },
    ledger,
    ledgerDir,
    dataDir,
    readers: () => [{ id: "door", state: "reading" }],
    pollMs: 5,
    ackTimeoutMs: 2000,
    maxBatchEntries: 40,
    clientOptions: { reconnectPeriod: 100 },
  });
  defer(() => sync.close());
  const append = async (count: number) => {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++)
      pending.push(
        ledger.append("movement", {
          epc: `3034257BF7194E40${node === "dock-1" ? "0000" : "1111"}${i.toString(16).toUpperCase().padStart(4, "0")}`,
          kind: "putaway",
          from: "dock",
          to: "shelf-a",
        }),
      );
    await Promise.all(pending);
    sync.wake();
  };
  return { ledger, sync, append };
}

async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const storedSeqs = (store: Store, node: string) => [...store.entries(node)].map((e) => e.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each([
  ["the embedded broker", embeddedSite(false)],
  ["a real Mosquitto", mosquittoSite(false)],
  ["the embedded broker over TLS", embeddedSite(true)],
  ["a real Mosquitto over TLS", mosquittoSite(true)],
])("ledger ingest through %s", (_name, startSite) => {
  it("stores and acknowledges what two real nodes sync, verified, and keeps their status", async () => {
    const site = await startSite();
    const dockKey = generateIdentity();
    const shelfKey = generateIdentity();
    const dock = await realNode(site.enroll("dock-1", dockKey), "dock-1", dockKey);
    const shelf = await realNode(site.enroll("shelf-1", shelfKey), "shelf-1", shelfKey);
    await Promise.all([dock.append(230), shelf.append(170)]);
    await dock.append(20);

    for (const [id, node] of [
      ["dock-1", dock],
      ["shelf-1", shelf],
    ] as const) {
      const head = node.ledger.durable;
      await eventually(() => node.sync.ackedSeq === head.seq);
      expect(site.store.node(id)).toMatchObject({ state: "ok", head });
      expect(storedSeqs(site.store, id)).toEqual(range(1, head.seq));
      await eventually(() => site.glue.status(id) !== undefined);
      expect(site.glue.status(id)?.status).toMatchObject({ state: "online", node: id });
    }
    expect(dock.ledger.durable.seq).toBeGreaterThan(250); // checkpoints were signed and verified too

    await shelf.sync.close();
    await eventually(() => site.glue.status("shelf-1")?.status.state === "offline");
    expect(site.glue.status("dock-1")?.status.state).toBe("online");
  });

  it("heals a dropped batch by a resend request, and redelivered batches change nothing", async () => {
    const site = await startSite();
    const key = generateIdentity();
    const chain = buildChain("dock-1", key, 30); // 33 entries with the checkpoints
    const node = await rawNode(site.enroll("dock-1", key), "dock-1", key);

    await node.send(chain.slice(0, 10));
    await node.answers(1);
    // seq 11-20 is lost on the way
    await node.send(chain.slice(20, 33));
    await node.answers(2);
    expect(node.acks).toEqual([
      { type: "ack", seq: 10 },
      { type: "resend", from: 11, reason: expect.stringContaining("11") },
    ]);
    expect(storedSeqs(site.store, "dock-1")).toEqual(range(1, 10));

    // the node does what it is told: everything from seq 11 again
    await node.send(chain.slice(10, 20));
    await node.send(chain.slice(20, 33));
    await node.answers(4);
    expect(node.acks.slice(2)).toEqual([
      { type: "ack", seq: 20 },
      { type: "ack", seq: 33 },
    ]);
    const stock = site.store.stock();
    const head = site.store.node("dock-1")?.head;
    expect(head).toEqual({ seq: 33, hash: chain[32]?.hash });

    // the broker or the node delivers old batches again
    await node.send(chain.slice(0, 10));
    await node.send(chain.slice(5, 25));
    await node.answers(6);
    expect(node.acks.slice(4)).toEqual([
      { type: "ack", seq: 33 },
      { type: "ack", seq: 33 },
    ]);
    expect(storedSeqs(site.store, "dock-1")).toEqual(range(1, 33));
    expect(site.store.stock()).toEqual(stock);
    expect(site.store.node("dock-1")?.head).toEqual(head);
  });

  it("refuses a batch tampered with on the wire: nothing of it stored, no node marked broken, the genuine batch goes on", async () => {
    const site = await startSite();
    const dockKey = generateIdentity();
    const shelfKey = generateIdentity();
    const dockChain = buildChain("dock-1", dockKey, 20);
    const shelfChain = buildChain("shelf-1", shelfKey, 20);
    const dock = await rawNode(site.enroll("dock-1", dockKey), "dock-1", dockKey);
    const shelf = await rawNode(site.enroll("shelf-1", shelfKey), "shelf-1", shelfKey);

    await dock.send(dockChain.slice(0, 8));
    await shelf.send(shelfChain.slice(0, 8));
    await dock.answers(1);
    await shelf.answers(1);
    // Signed by the node, then altered in transit: the signature no longer vouches for it.
    const tampered = JSON.parse(signedBatch(dockKey, "dock-1", dockChain.slice(8, 16))) as {
      entries: LedgerEntry[];
    };
    (tampered.entries[3] as LedgerEntry).data = {
      epc: "3034257BF7194E4000000BAD",
      kind: "putaway",
    };
    await dock.publishRaw(JSON.stringify(tampered));
    await shelf.send(shelfChain.slice(8));
    await shelf.answers(2);
    await site.glue.idle();
    expect(dock.acks).toEqual([{ type: "ack", seq: 8 }]);
    expect(site.store.node("dock-1")).toMatchObject({ state: "ok", head: { seq: 8 } });
    expect(shelf.acks.at(-1)).toEqual({ type: "ack", seq: shelfChain.length });

    await dock.send(dockChain.slice(8));
    await dock.answers(2);
    expect(dock.acks.at(-1)).toEqual({ type: "ack", seq: dockChain.length });
    expect(storedSeqs(site.store, "dock-1")).toEqual(range(1, dockChain.length));
  });
});

/**
 * Mosquitto on a free loopback port with a generated config: the settings
 * gateway/README.md asks for (no queue limit), no persistence for a test;
 * with `tls`, a TLS listener with the site CA's server certificate.
 */
async function startMosquitto(tls?: ReturnType<typeof siteCaPaths>): Promise<string> {
  const dir = await tempDir(defer, "comptoir-mosquitto-");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = join(dir, "mosquitto.conf");
    await writeFile(
      config,
      [
        `listener ${port} 127.0.0.1`,
        ...(tls
          ? [
              `cafile ${tls.caCert}`,
              `certfile ${tls.serverCert}`,
              `keyfile ${tls.serverKey}`,
              // Started as root, Mosquitto becomes user "mosquitto" before reading these
              // files, which sit in this user's 0700 temp dirs: it stays who started it.
              `user ${userInfo().username}`,
            ]
          : []),
        "allow_anonymous true",
        "persistence false",
        "max_queued_messages 0",
        "max_inflight_messages 0",
        "set_tcp_nodelay true",
        "log_dest stderr",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_type information",
        "",
      ].join("\n"),
    );
    const child = spawnMosquitto(config);
    defer(async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    });
    const started = await mosquittoReady(child);
    if (started === true) return `${tls ? "mqtts" : "mqtt"}://127.0.0.1:${port}`;
    // The port was taken between finding it free and Mosquitto binding it: try another.
    if (attempt >= 5 || !/address already in use/i.test(started))
      throw new Error(`mosquitto did not start: ${started}`);
  }
}

function spawnMosquitto(config: string): ChildProcess {
  // Debian and Ubuntu install the broker in sbin, which a normal user's PATH may lack.
  const path = [process.env.PATH ?? "", "/usr/sbin", "/usr/local/sbin"].join(delimiter);
  const child = spawn("mosquitto", ["-c", config], {
    env: { ...process.env, PATH: path },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return child;
}

/** True once Mosquitto listens; otherwise why it did not. */
function mosquittoReady(child: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4096);
      if (/mosquitto version \S+ running/.test(output)) resolve(true);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === "ENOENT"
          ? "the mosquitto binary is not installed (apt-get install -y mosquitto) — this interop test needs it and does not skip"
          : error.message,
      );
    });
    child.once("exit", (code) => resolve(`exited with code ${code}: ${output.trim()}`));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

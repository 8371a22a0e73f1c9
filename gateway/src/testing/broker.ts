import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainIdentity,
  generateIdentity,
  type LedgerEntry,
  siteTopics,
} from "@comptoir/contracts";
import { signedBatch } from "@comptoir/contracts/testing";
import { connectAsync, type MqttClient } from "mqtt";
import { afterEach } from "vitest";
import {
  type BrokerLimits,
  EmbeddedBus,
  enrollWithCredentials,
  type GatewayBus,
  GroupCommit,
  Ingest,
  MqttIngest,
  type MqttIngestOptions,
  NodeCredentials,
  PreVerify,
  type SiteCa,
  Store,
  startEmbeddedBroker,
} from "../index.js";

/** Registers a cleanup for what a test started (a temp dir, a store, a broker, a client…). */
export type Defer = (cleanup: () => Promise<unknown>) => void;

/**
 * Runs, after each test of the calling file, the cleanups the test deferred, last
 * first; one that fails does not stop the others. Call it at the top of a test file.
 */
export function cleanupAfterEach(): Defer {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/** A temp dir, removed after the test. */
export async function tempDir(defer: Defer, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A gateway store in a temp dir and the embedded broker it decides logins for
 * (on a free port, with TLS when given a CA, and any limits given), and the gateway's bus on that broker.
 * The store exists before the broker: it decides who may connect.
 */
export async function embeddedBroker(
  defer: Defer,
  options: { site: string; tls?: SiteCa; limits?: Partial<BrokerLimits> },
) {
  const store = new Store(join(await tempDir(defer, "comptoir-gw-"), "store.db"));
  defer(async () => store.close());
  const credentials = new NodeCredentials(store.db);
  const broker = await startEmbeddedBroker({
    site: options.site,
    port: 0,
    nodes: store,
    credentials,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  defer(() => broker.close());
  const bus = new EmbeddedBus(broker.aedes);
  defer(() => bus.close());
  return { site: options.site, store, credentials, broker, bus };
}

/** The gateway's MQTT glue on a bus: verified ingest into the store, acks back to the nodes. */
export async function startIngest(
  defer: Defer,
  options: { bus: GatewayBus; site: string; store: Store } & Pick<MqttIngestOptions, "onOutcome">,
): Promise<MqttIngest> {
  const { store, ...rest } = options;
  const glue = await MqttIngest.start({
    ...rest,
    ingest: new PreVerify(
      new GroupCommit(new Ingest(store), store.db),
      (node) => store.node(node)?.publicKey,
    ),
    nodes: store,
  });
  defer(() => glue.stop());
  return glue;
}

/** Waits until `condition` holds, looking every 5 ms; the test's timeout bounds the wait. */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Node `id` enrolled with a key of its own and its MQTT client connected to
 * the embedded broker (no reconnects), ended after the test; `send` publishes
 * entries of its chain as one batch signed with its key, as a node syncs them.
 */
export async function connectedNode(
  defer: Defer,
  site: Pick<
    Awaited<ReturnType<typeof embeddedBroker>>,
    "site" | "store" | "credentials" | "broker"
  >,
  id: string,
): Promise<{
  client: MqttClient;
  identity: ChainIdentity;
  send(entries: LedgerEntry[]): Promise<unknown>;
}> {
  const identity = generateIdentity();
  const { mqtt } = enrollWithCredentials(site.store, site.credentials, id, identity.publicKeyHex);
  const client = await connectAsync(site.broker.url, { clientId: id, ...mqtt, reconnectPeriod: 0 });
  defer(() => client.endAsync());
  const topic = siteTopics(site.site).nodeLedger(id);
  const send = (entries: LedgerEntry[]) =>
    client.publishAsync(topic, signedBatch(identity, id, entries), { qos: 1 });
  return { client, identity, send };
}

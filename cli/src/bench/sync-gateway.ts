/**
 * The gateway side of the sync benchmark, in its own thread as a real
 * gateway is in its own process: the embedded Aedes broker and either the
 * verifying, acking subscriber ("verify") or a bare subscriber that only
 * counts messages ("count", the baseline). Driven by `SyncGatewayThread`.
 */
import { createPublicKey } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { siteTopics } from "@comptoir/contracts";
import { startBroker, VerifyingGateway } from "@comptoir/device/sync/testing";
import { connectAsync } from "mqtt";
import { type GatewayReply, GatewayRequestSchema, GatewaySetupSchema } from "./sync-protocol.js";

const port = parentPort;
if (port === null) throw new Error("sync-gateway.ts runs as a worker thread");
const setup = GatewaySetupSchema.parse(workerData);
const topic = siteTopics(setup.site).nodeLedger(setup.node);
const reply = (message: GatewayReply) => port.postMessage(message);

const broker = await startBroker();
const bytes = { total: 0, messages: 0 };
broker.aedes.on("publish", (packet) => {
  if (packet.topic !== topic) return;
  bytes.total += packet.payload.length;
  bytes.messages++;
});

let gateway: VerifyingGateway | undefined;
let counter: Awaited<ReturnType<typeof connectAsync>> | undefined;
let counted = 0;
const countWaiters: { count: number; resolve: () => void }[] = [];

if (setup.mode === "verify") {
  gateway = await VerifyingGateway.start({
    url: broker.url,
    site: setup.site,
    node: setup.node,
    publicKey: createPublicKey(setup.publicKeyPem),
  });
} else {
  counter = await connectAsync(broker.url, { protocolVersion: 4 });
  await counter.subscribeAsync(topic, { qos: 1 });
  counter.on("message", () => {
    counted++;
    for (let i = countWaiters.length - 1; i >= 0; i--) {
      const waiter = countWaiters[i] as { count: number; resolve: () => void };
      if (counted >= waiter.count) {
        countWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  });
}

port.on("message", (raw: unknown) => {
  const request = GatewayRequestSchema.parse(raw);
  if (request.type === "until-seq") {
    const verifying = gateway;
    if (verifying === undefined) throw new Error("until-seq needs the verifying gateway");
    void verifying
      .until(() => verifying.head.seq >= request.seq || verifying.failure !== undefined)
      .then(() =>
        reply({
          type: "reached",
          seq: verifying.head.seq,
          batches: verifying.batches,
          bytes: bytes.total,
          ...(verifying.failure ? { failure: verifying.failure.detail } : {}),
        }),
      );
  } else if (request.type === "until-count") {
    const done = () => reply({ type: "reached", seq: 0, batches: counted, bytes: bytes.total });
    if (counted >= request.count) done();
    else countWaiters.push({ count: request.count, resolve: done });
  } else {
    void (async () => {
      await gateway?.close();
      await counter?.endAsync(true);
      await broker.stop();
      reply({ type: "stopped" });
      port.close();
    })();
  }
});

reply({ type: "ready", url: broker.url });

import { join } from "node:path";
import { createIdentity, type NodeEventView, siteTopics } from "@comptoir/contracts";
import { type RunningNode, startNode, TerminalTokens, terminalTokensPath } from "@comptoir/device";
import { GatewayConfigSchema, NodeConfigSchema } from "@comptoir/firmware-config";
import { GatewayCore } from "@comptoir/gateway";
import {
  JsonApi,
  LiveField,
  type SimulatorServer,
  serveSimulatedReader,
} from "@comptoir/simulators";
import { connectAsync } from "mqtt";
import { DEMO_DOCK, readerConfig } from "../demo/site-layout.js";
import { LoadGenerator } from "./open-loop.js";
import { type BenchResult, percentile, result } from "./result.js";

/**
 * The sales orders' figures of `bench credit` (issue 15): the decision at
 * order entry through `POST /orders` under an open-loop load, and a payment
 * releasing a held order until the dock node holding it knows.
 */

const SITE = "bench-orders";
export const ORDER_RATE = 200;
/** Customers the orders go to, in turn. */
const CUSTOMERS = 50;
const CHAIR = 15_000;
const eur = (amount: number) => ({ amount, currency: "EUR" });
const today = () => new Date().toISOString().slice(0, 10);

// biome-ignore lint/suspicious/noExplicitAny: the gateway's JSON answers, read field by field below
type Json = any;

interface Gateway {
  core: GatewayCore;
  /** The API as the first administrator: a non-2xx answer throws with what the gateway said. */
  api: JsonApi;
}

async function startBenchGateway(root: string): Promise<Gateway> {
  const core = await GatewayCore.start({
    config: GatewayConfigSchema.parse({
      gateway: { site: SITE },
      mqtt: { embedded: { port: 0 } },
      http: { listen: "127.0.0.1:0" },
    }),
    dataDir: join(root, "gateway"),
  });
  const api = new JsonApi(`${core.url}/api/v1`, core.firstAdminToken);
  await api.post("/products", {
    sku: "CHAIR",
    gtin: "03760123450997",
    name: "Oak chair",
    unitPrice: eur(CHAIR),
    unitCost: eur(6_000),
  });
  return { core, api };
}

/**
 * `POST /orders` at `ORDER_RATE`/s, open loop, each request a new order of
 * one of 50 customers with room under their limits (approved: the decision,
 * the order's rows, its ledger entry and its retained state all happen),
 * against `GET /health` at the same rate on the same gateway; then both at a
 * quarter of the rate, for the record.
 */
export async function orderDecisions(
  root: string,
  seconds: number,
  log: (line: string) => void,
): Promise<BenchResult[]> {
  const gateway = await startBenchGateway(join(root, "decisions"));
  const load = new LoadGenerator();
  try {
    // A site's order desk serves many customers, each with a few open orders.
    for (let customer = 1; customer <= CUSTOMERS; customer++) {
      await gateway.api.post("/customers", {
        id: `customer-${customer}`,
        name: `Customer ${customer}`,
        creditLimit: eur(100_000_000_000),
        paymentTermsDays: 30,
      });
    }
    const numbered = [{ token: "#" }, { token: "@", modulo: CUSTOMERS }];
    const order = {
      url: `${gateway.core.url}/api/v1/orders`,
      method: "POST" as const,
      body: {
        number: "BENCH-SO-#",
        customer: "customer-@",
        requestedShipDate: today(),
        lines: [{ sku: "CHAIR", quantity: 2, unitPrice: CHAIR }],
      },
      headers: { authorization: `Bearer ${gateway.core.firstAdminToken}` },
      rate: ORDER_RATE,
    };
    const health = { url: `${gateway.core.url}/api/v1/health`, method: "GET" as const };
    log(`warm-up: orders for 1 s…`);
    await load.run({
      ...order,
      body: { ...order.body, number: "WARM-#" },
      numbered,
      seconds: 1,
    });
    const h = await load.run({ ...health, rate: ORDER_RATE, seconds });
    // CPU per order, the gateway and the generator's thread together: what
    // the machine must give for the rate to be sustainable at all.
    const cpu = process.cpuUsage();
    const o = await load.run({ ...order, numbered, seconds });
    const used = process.cpuUsage(cpu);
    const cpuPerOrder = (used.user + used.system) / 1000 / o.latencies.length;
    // For the record: a quarter of the rate, to tell a slow decision from a saturated gateway.
    const lowRate = ORDER_RATE / 4;
    const lowHealth = await load.run({ ...health, rate: lowRate, seconds });
    const low = await load.run({
      ...order,
      body: { ...order.body, number: "LOW-#" },
      numbered,
      rate: lowRate,
      seconds,
    });
    for (const [name, measured] of [
      ["GET /health", h],
      ["POST /orders", o],
      [`POST /orders at ${lowRate}/s`, low],
    ] as const) {
      if (measured.failures > measured.latencies.length / 100)
        throw new Error(
          `${name}: ${measured.failures} of ${measured.latencies.length} requests failed (${measured.firstFailure})`,
        );
    }
    const placed = await gateway.api.get<Json>("/orders?customer=customer-1");
    log(
      `orders at ${ORDER_RATE}/s for ${seconds} s, p50/p99/max ms — POST /orders ${[50, 99, 100].map((p) => percentile(o.latencies, p).toFixed(2)).join(" / ")}, health ${[50, 99, 100].map((p) => percentile(h.latencies, p).toFixed(2)).join(" / ")}; orders per state at the gateway: ${JSON.stringify(placed?.counts ?? {})}; CPU ms an order in this process: ${cpuPerOrder.toFixed(2)}`,
    );
    return [
      result(
        `order decision via POST /orders at ${ORDER_RATE}/s, p99`,
        percentile(o.latencies, 99),
        "ms",
        percentile(h.latencies, 99),
        { atMost: 5 },
      ),
      result(
        `order decision via POST /orders at ${lowRate}/s, p99`,
        percentile(low.latencies, 99),
        "ms",
        percentile(lowHealth.latencies, 99),
      ),
    ];
  } finally {
    await load.close();
    await gateway.core.stop();
  }
}

/** Resolves when `ready()` holds after an event of the node (or at once when it already does). */
function nodeShows(node: RunningNode, ready: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the node never showed ${what}`));
    }, 10_000);
    const stop = node.runtime.subscribe((event: NodeEventView) => {
      if (event.type !== "dock" || !ready()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

/**
 * A payment releasing a held order, until the dock node that has it
 * assigned shows it `released` (its order cache, told by the retained
 * `orders/<order>` message): each round assigns a new order to the dock
 * before the gateway heard of it, places it (held: the customer is at its
 * limit), waits until the node shows it held, then posts the payment that
 * releases it (the order's `toRelease`). Baseline: a plain retained publish
 * on the same broker received by a subscribed client.
 */
export async function releaseToNode(
  root: string,
  rounds: number,
  log: (line: string) => void,
): Promise<BenchResult> {
  const gateway = await startBenchGateway(join(root, "release"));
  let node: RunningNode | undefined;
  let reader: SimulatorServer | undefined;
  try {
    await gateway.api.post("/customers", {
      id: "acme",
      name: "ACME Joinery",
      creditLimit: eur(10_000),
      paymentTermsDays: 30,
    });
    const dataDir = join(root, "release", "dock-1");
    const identity = await createIdentity(dataDir);
    const enrolled = (await gateway.api.post<Json>("/nodes", {
      id: "dock-1",
      publicKey: identity.publicKeyHex,
    })) as Json;
    const mqtt = enrolled.mqtt as { username: string; password: string };
    const baseline = await retainedRoundTrips(gateway.core, mqtt, rounds);
    // A dock door's reader with nothing in front of it: the node needs one to be a portal.
    reader = await serveSimulatedReader({ protocol: "thingmagic", field: new LiveField() });
    node = await startNode({
      config: NodeConfigSchema.parse({
        node: { id: DEMO_DOCK.id, site: SITE, role: DEMO_DOCK.role },
        readers: [readerConfig(DEMO_DOCK, reader.url)],
        mqtt: {
          url: gateway.core.mqttUrl,
          ...mqtt,
          gatewayKey: enrolled.gateway?.publicKey,
        },
        http: { listen: "127.0.0.1:0" },
      }),
      dataDir,
    });
    const running = node;
    const token = new TerminalTokens(terminalTokensPath(dataDir)).create("bench", "admin");
    const stateOf = () => running.runtime.dockView().state?.state;
    const times = new Float64Array(rounds);
    for (let round = 0; round < rounds; round++) {
      const number = `REL-${round + 1}`;
      const assigned = await fetch(`${running.url}/api/v1/dock/order`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ order: number, customer: "acme" }),
      });
      if (!assigned.ok)
        throw new Error(`the dock refused ${number}, never heard of: ${await assigned.text()}`);
      const placed = (await gateway.api.post<Json>("/orders", {
        number,
        customer: "acme",
        requestedShipDate: today(),
        lines: [{ sku: "CHAIR", quantity: 1, unitPrice: CHAIR }],
      })) as Json;
      if (placed.state !== "held")
        throw new Error(`${number} should be held (the customer is at its limit): ${placed.state}`);
      await nodeShows(running, () => stateOf() === "held", `${number} held`);
      const amount = placed.credit?.toRelease ?? placed.total;
      const released = nodeShows(running, () => stateOf() === "released", `${number} released`);
      const start = performance.now();
      await gateway.api.post("/payments", {
        id: `REL-PAY-${round + 1}`,
        date: today(),
        amount,
        currency: "EUR",
        customer: "acme",
      });
      await released;
      times[round] = performance.now() - start;
      // Spaced out, as payments are: each measured from a quiet start.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    times.sort();
    log(
      `payment → released at the dock node, ${rounds} rounds: p50 ${percentile(times, 50).toFixed(1)} ms, max ${percentile(times, 100).toFixed(1)} ms; retained publish → client p50 ${percentile(baseline, 50).toFixed(1)} ms`,
    );
    return result(
      `payment → released order state on the dock node, p99 of ${rounds}`,
      percentile(times, 99),
      "ms",
      percentile(baseline, 99),
      { atMost: 500 },
    );
  } finally {
    await node?.stop().catch(() => {});
    await reader?.close().catch(() => {});
    await gateway.core.stop();
  }
}

/** The gateway's bus publishes a retained message, a client with the node's credentials receives it. */
async function retainedRoundTrips(
  core: GatewayCore,
  credentials: { username: string; password: string },
  rounds: number,
): Promise<Float64Array> {
  const topic = siteTopics(SITE).order("BASELINE");
  const client = await connectAsync(core.mqttUrl, { clientId: "dock-1", ...credentials });
  try {
    let received: () => void = () => {};
    client.on("message", () => received());
    await client.subscribeAsync(topic, { qos: 1 });
    const times = new Float64Array(rounds);
    for (let round = 0; round < rounds; round++) {
      const arrived = new Promise<void>((resolve) => (received = resolve));
      const start = performance.now();
      await core.bus.publish(topic, JSON.stringify({ round }), { qos: 1, retain: true });
      await arrived;
      times[round] = performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return times.sort();
  } finally {
    await client.endAsync();
    // The baseline's retained message is not an order: it leaves no trace for the node.
    await core.bus.publish(topic, "", { qos: 1, retain: true });
  }
}

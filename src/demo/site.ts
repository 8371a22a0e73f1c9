import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { createIdentity, type Logger, loadIdentity, silentLogger } from "@comptoir/contracts";
import { hashPin, type RunningNode, startNode } from "@comptoir/device";
import {
  GatewayConfigSchema,
  loadConfigFile,
  NodeConfigSchema,
  resolveFromConfig,
} from "@comptoir/firmware-config";
import { GatewayCore, TokenStore } from "@comptoir/gateway";
import {
  AccountingFlow,
  ApiCallError,
  CounterFlow,
  DEMO_CURRENCY,
  DEMO_CUSTOMERS,
  DEMO_PRODUCTS,
  Dice,
  JsonApi,
  type SimulatorServer,
  SiteWorld,
  serveSimulatedReader,
  WarehouseFlow,
} from "@comptoir/simulators";
import { parse, stringify } from "yaml";
import { DEMO_NODES, DEMO_SITE, type DemoNodeSpec, demoPaths } from "./site-layout.js";

/** The counter's supervisor in the demo; the PIN is printed so that anyone can try an override. */
export const DEMO_SUPERVISOR = { id: "chef", name: "Claire (supervisor)", pin: "2468" };

export interface SimulatedSiteOptions {
  /** Where the nodes and the simulated world keep their data. */
  root: string;
  /** The gateway's API (`…/api/v1`) with a token allowed to enroll nodes and write the catalog and receivables. */
  api: JsonApi;
  /** The broker the nodes connect to. */
  mqttUrl: string;
  /** The MQTT site the gateway serves. */
  site: string;
  logger?: Logger;
  say?: (line: string) => void;
  /** Seed of the scenario's dice. */
  seed?: number;
}

export interface SimulatedSite {
  nodes: Map<string, RunningNode>;
  world: SiteWorld;
  posUrl: string;
  stop(): Promise<void>;
}

/**
 * A site without hardware, against a running gateway: a dock-door portal,
 * a shelf and a counter node, each fed by a simulated reader over TCP
 * speaking its own protocol, and the simulated staff and accounting who
 * move goods, sell and invoice. Everything lives under `root`: run it
 * again on the same folder and it resumes.
 */
export async function startSimulatedSite(options: SimulatedSiteOptions): Promise<SimulatedSite> {
  const logger = options.logger ?? silentLogger;
  const say = options.say ?? (() => {});
  const paths = demoPaths(options.root);
  const { api } = options;
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, "site: stop failed"));
    }
  };
  try {
    await ensureCatalog(api);
    const world = await SiteWorld.open(paths.world);
    const nodes = new Map<string, RunningNode>();
    for (const spec of DEMO_NODES) {
      const field =
        spec.role === "portal" ? world.portal : spec.role === "shelf" ? world.shelf : world.counter;
      const reader: SimulatorServer = await serveSimulatedReader({
        protocol: spec.protocol,
        field,
        rate: 2000,
        logger,
      });
      stack.push(() => reader.close());
      const node = await startSiteNode(spec, reader.url, options, paths, logger);
      stack.push(() => node.stop());
      nodes.set(spec.id, node);
    }

    const flows = new AbortController();
    const dice = new Dice(options.seed ?? Date.now());
    const portal = nodes.get("dock-1") as RunningNode;
    const counter = nodes.get("counter-1") as RunningNode;
    const running = [
      new WarehouseFlow({
        world,
        portal: new JsonApi(portal.url),
        dice,
        say,
        settleMs: 6000,
      }).run(flows.signal),
      new CounterFlow({
        world,
        counter: new JsonApi(counter.url),
        dice,
        say,
        supervisor: DEMO_SUPERVISOR,
      }).run(flows.signal),
      new AccountingFlow({ world, gateway: api, dice, say }).run(flows.signal),
    ];
    stack.push(async () => {
      flows.abort();
      await Promise.all(running);
      await world.save();
    });
    return { nodes, world, posUrl: `${counter.url}/pos`, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export interface DemoSiteOptions {
  /** Where the gateway, the nodes and the simulated world keep their data. */
  root: string;
  /** The dashboard's port; when taken, another free port is used and said. */
  httpPort: number;
  logger?: Logger;
  say?: (line: string) => void;
  /** Seed of the scenario's dice. */
  seed?: number;
}

export interface DemoSite extends SimulatedSite {
  gateway: GatewayCore;
  adminToken: string;
  dashboardUrl: string;
}

/**
 * A whole site on one machine: the gateway with its embedded broker and
 * dashboard, and a simulated site driving it. Everything lives under
 * `root`: run it again on the same folder and it resumes.
 */
export async function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  const logger = options.logger ?? silentLogger;
  const paths = demoPaths(options.root);
  const gateway = await startGateway(paths, options, logger, options.say ?? (() => {}));
  try {
    const adminToken = await adminTokenOf(gateway, paths.adminToken);
    const site = await startSimulatedSite({
      root: options.root,
      api: new JsonApi(`${gateway.url}/api/v1`, adminToken),
      mqttUrl: gateway.mqttUrl,
      site: DEMO_SITE,
      logger,
      ...(options.say ? { say: options.say } : {}),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    return {
      ...site,
      gateway,
      adminToken,
      dashboardUrl: `${gateway.url}/`,
      stop: async () => {
        await site.stop();
        await gateway.stop();
      },
    };
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}

async function startGateway(
  paths: ReturnType<typeof demoPaths>,
  options: DemoSiteOptions,
  logger: Logger,
  say: (line: string) => void,
): Promise<GatewayCore> {
  if (!existsSync(paths.gatewayConfig)) {
    await writeYaml(paths.gatewayConfig, {
      gateway: { site: DEMO_SITE, dataDir: "./data" },
      // Nodes run in this process and are told the port: any free one will do.
      mqtt: { embedded: { host: "127.0.0.1", port: 0 } },
      http: { listen: `127.0.0.1:${options.httpPort}` },
    });
  }
  const { config } = loadConfigFile(paths.gatewayConfig, GatewayConfigSchema, {});
  const dataDir = resolveFromConfig(paths.gatewayConfig, config.gateway.dataDir);
  const start = (port: number) =>
    GatewayCore.start({ config, dataDir, logger, listen: { host: "127.0.0.1", port } });
  try {
    return await start(options.httpPort);
  } catch (error) {
    if (!(error instanceof Error) || !/port is in use/.test(error.message)) throw error;
    say(`port ${options.httpPort} is taken; the dashboard takes a free port instead`);
    return start(0);
  }
}

/** The admin token: printed by the gateway at first start, kept for the demo's next runs. */
async function adminTokenOf(gateway: GatewayCore, file: string): Promise<string> {
  let token = gateway.firstAdminToken;
  if (!token && existsSync(file)) token = (await readFile(file, "utf8")).trim();
  if (!token || !new TokenStore(gateway.store.db, gateway.ledger).authenticate(token)) {
    token = new TokenStore(gateway.store.db, gateway.ledger).create("admin", "demo", {
      kind: "system",
      id: "demo",
    }).token;
  }
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

/** Products and customers, created once. */
async function ensureCatalog(api: JsonApi): Promise<void> {
  for (const product of DEMO_PRODUCTS) {
    await createUnlessExists(api, `/products/${product.sku}`, "/products", {
      sku: product.sku,
      gtin: product.gtin,
      name: product.name,
      unitPrice: { amount: product.unitPrice, currency: DEMO_CURRENCY },
      unitCost: { amount: product.unitCost, currency: DEMO_CURRENCY },
    });
  }
  for (const customer of DEMO_CUSTOMERS) {
    await createUnlessExists(api, `/customers/${customer.id}`, "/customers", {
      id: customer.id,
      name: customer.name,
      creditLimit:
        customer.creditLimit === "unlimited"
          ? "unlimited"
          : { amount: customer.creditLimit, currency: DEMO_CURRENCY },
      paymentTermsDays: customer.paymentTermsDays,
    });
  }
}

async function createUnlessExists(api: JsonApi, item: string, collection: string, body: unknown) {
  try {
    await api.get(item);
  } catch (error) {
    if (!(error instanceof ApiCallError) || error.status !== 404) throw error;
    await api.post(collection, body);
  }
}

/**
 * A node as an installer would set it up: identity key, enrolment on the
 * gateway (which issues its MQTT password), a config file; then started.
 */
async function startSiteNode(
  spec: DemoNodeSpec,
  readerUrl: string,
  options: SimulatedSiteOptions,
  paths: ReturnType<typeof demoPaths>,
  logger: Logger,
): Promise<RunningNode> {
  const file = paths.nodeConfig(spec.id);
  const dataDir = paths.nodeData(spec.id);
  const identity = existsSync(dataDir)
    ? await loadIdentity(dataDir).catch(() => createIdentity(dataDir))
    : await createIdentity(dataDir);
  let mqtt = existsSync(file) ? previousCredentials(await readFile(file, "utf8")) : undefined;
  const known = await options.api.get(`/nodes/${spec.id}`).then(
    () => true,
    (error: unknown) => {
      if (error instanceof ApiCallError && error.status === 404) return false;
      throw error;
    },
  );
  if (!known) {
    const enrolled = await options.api.post<{ mqtt?: { username: string; password: string } }>(
      "/nodes",
      {
        id: spec.id,
        publicKey: identity.publicKeyHex,
      },
    );
    mqtt = enrolled.mqtt;
  }
  await writeYaml(file, {
    node: { id: spec.id, site: options.site, role: spec.role, dataDir: "./data" },
    readers: [
      { id: spec.reader, protocol: spec.protocol, url: readerUrl, antennas: spec.antennas },
    ],
    mqtt: { url: options.mqttUrl, ...mqtt },
    http: { listen: "127.0.0.1:0" },
    ...(spec.smoothing ? { smoothing: spec.smoothing } : {}),
    ...(spec.role === "counter"
      ? {
          pos: {
            supervisors: [
              {
                id: DEMO_SUPERVISOR.id,
                name: DEMO_SUPERVISOR.name,
                pinHash: await hashPin(DEMO_SUPERVISOR.pin),
              },
            ],
          },
        }
      : {}),
    log: { level: "warn" },
  });
  const { config } = loadConfigFile(file, NodeConfigSchema, {});
  return startNode({ config, dataDir, logger: logger.child({ node: spec.id }) });
}

function previousCredentials(text: string): { username: string; password: string } | undefined {
  const mqtt = (parse(text) as { mqtt?: { username?: unknown; password?: unknown } } | null)?.mqtt;
  return typeof mqtt?.username === "string" && typeof mqtt.password === "string"
    ? { username: mqtt.username, password: mqtt.password }
    : undefined;
}

async function writeYaml(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, stringify(value), { mode: 0o600 });
}

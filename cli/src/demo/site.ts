import { type Logger, silentLogger } from "@comptoir/contracts";
import type { RunningNode } from "@comptoir/device";
import type { GatewayCore } from "@comptoir/gateway";
import {
  AccountingFlow,
  CounterFlow,
  Dice,
  JsonApi,
  LiveField,
  type SimulatorServer,
  SiteWorld,
  serveSimulatedReader,
  WarehouseFlow,
} from "@comptoir/simulators";
import { adminTokenOf, startGateway } from "./demo-gateway.js";
import { ensureCatalog } from "./site-catalog.js";
import {
  DEMO_DOCK,
  DEMO_NODES,
  DEMO_SITE,
  type DemoNodeSpec,
  demoPaths,
  PERSON_COUNTER,
  readerConfig,
  SIMULATED_COUNTER,
} from "./site-layout.js";
import { DEMO_CLERK, DEMO_SUPERVISOR, demoTerminalToken, startSiteNode } from "./site-node.js";

export {
  DEMO_CLERK,
  DEMO_DOCK,
  DEMO_SUPERVISOR,
  demoPaths,
  demoTerminalToken,
  PERSON_COUNTER,
  readerConfig,
  SIMULATED_COUNTER,
};

export interface SimulatedSiteOptions {
  /** Where the nodes and the simulated world keep their data. */
  root: string;
  /** The gateway's API (`…/api/v1`) with a token allowed to enroll nodes and write the catalog and receivables. */
  api: JsonApi;
  /** The broker the nodes connect to. */
  mqttUrl: string;
  /** With a TLS broker, the PEM the nodes pin (mqtt.ca). */
  mqttCa?: string;
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
  /** The person's till (PERSON_COUNTER): nothing simulated touches its basket. */
  posUrl: string;
  /** The simulated clerk's till (SIMULATED_COUNTER), to watch it sell. */
  simulatedPosUrl: string;
  stop(): Promise<void>;
}

/**
 * A site without hardware, against a running gateway: a dock-door portal,
 * a shelf and two counter nodes, each fed by a simulated reader over TCP
 * speaking its own protocol, and the simulated staff and accounting who
 * move goods, sell and invoice. The simulated clerk sells at its own
 * counter; the other one is a person's, whose basket only they fill.
 * Everything lives under `root`: run it again on the same folder and it
 * resumes.
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
    const world = await SiteWorld.open(paths.world, say);
    const nodes = new Map<string, RunningNode>();
    for (const spec of DEMO_NODES) {
      const field = fieldOf(spec.id, spec.role, world);
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
    const counter = nodes.get(SIMULATED_COUNTER) as RunningNode;
    const personal = nodes.get(PERSON_COUNTER) as RunningNode;
    const running = [
      new WarehouseFlow({
        world,
        portal: new JsonApi(portal.url, demoTerminalToken(paths.nodeData("dock-1"))),
        // The ERP's sales module places each dock order with the gateway first.
        sales: api,
        dice,
        say,
        settleMs: 6000,
      }).run(flows.signal),
      new CounterFlow({
        world,
        counter: new JsonApi(counter.url, demoTerminalToken(paths.nodeData(SIMULATED_COUNTER))),
        dice,
        say,
        supervisor: DEMO_SUPERVISOR,
        clerk: DEMO_CLERK,
      }).run(flows.signal),
      new AccountingFlow({ world, gateway: api, dice, say }).run(flows.signal),
    ];
    stack.push(async () => {
      flows.abort();
      await Promise.all(running);
      await world.save();
    });
    return {
      nodes,
      world,
      posUrl: `${personal.url}/pos`,
      simulatedPosUrl: `${counter.url}/pos`,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The tags in front of a node's simulated reader. The person's counter has a
 * reader with nothing in front of it: nobody simulated puts goods there (a
 * person adds them by GTIN on the page).
 */
function fieldOf(id: string, role: DemoNodeSpec["role"], world: SiteWorld): LiveField {
  if (role === "portal") return world.portal;
  if (role === "shelf") return world.shelf;
  return id === SIMULATED_COUNTER ? world.counter : new LiveField();
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
  const { gateway, erp } = await startGateway(paths, options, logger, options.say ?? (() => {}));
  try {
    const adminToken = await adminTokenOf(gateway, paths.adminToken);
    const site = await startSimulatedSite({
      root: options.root,
      api: new JsonApi(`${gateway.url}/api/v1`, adminToken),
      mqttUrl: gateway.mqttUrl,
      ...(gateway.brokerCa ? { mqttCa: gateway.brokerCa } : {}),
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
        await erp.close();
      },
    };
  } catch (error) {
    await gateway.stop();
    await erp.close();
    throw error;
  }
}

import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type ChainIdentity,
  type Clock,
  createIdentity,
  identityPaths,
  type Logger,
  loadIdentity,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import type { GatewayConfig } from "@comptoir/firmware-config";
import { NodeCredentials } from "./broker/credentials.js";
import { type EmbeddedBroker, startEmbeddedBroker } from "./broker/embedded.js";
import type { GatewayBus } from "./bus/bus.js";
import { EmbeddedBus } from "./bus/embedded.js";
import { connectExternalBus } from "./bus/external.js";
import { Ingest } from "./ingest/ingest.js";
import { MqttIngest } from "./ingest/mqtt-ingest.js";
import { GatewayLedger } from "./ledger/gateway-ledger.js";
import { Store } from "./store/store.js";

export interface GatewayOptions {
  config: GatewayConfig;
  /** gateway.dataDir, resolved against the config file's folder. */
  dataDir: string;
  logger?: Logger;
  clock?: Clock;
}

/** The gateway's chain is broken: it refuses to start rather than build on a falsified history. */
export class GatewayLedgerBrokenError extends Error {
  override name = "GatewayLedgerBrokenError";
}

/**
 * The parts of a running gateway: its store and own ledger, the broker (or
 * a client of an external one), and verified ingest of every node's chain.
 */
export class GatewayCore {
  private constructor(
    readonly store: Store,
    readonly ledger: GatewayLedger,
    readonly credentials: NodeCredentials,
    readonly bus: GatewayBus,
    readonly ingest: MqttIngest,
    readonly broker: EmbeddedBroker | undefined,
    readonly mqttUrl: string,
    private readonly log: Logger,
  ) {}

  static async start(options: GatewayOptions): Promise<GatewayCore> {
    const { config, dataDir } = options;
    const logger = options.logger ?? silentLogger;
    const log = logger.child({ module: "gateway" });
    const clock = options.clock ?? systemClock;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const identity = await gatewayIdentity(dataDir, log);
    const store = new Store(join(dataDir, "gateway.db"), { clock });
    try {
      const ledger = new GatewayLedger(store, identity, {
        clock,
        checkpointEvery: config.ledger.checkpointEvery,
      });
      const verified = ledger.verify();
      if (!verified.ok) {
        throw new GatewayLedgerBrokenError(
          `the gateway's own ledger is broken at seq ${verified.seq}: ${verified.reason} (${verified.detail}); refusing to start`,
        );
      }
      const credentials = new NodeCredentials(store.db, { clock });
      const site = config.gateway.site;
      let broker: EmbeddedBroker | undefined;
      let bus: GatewayBus;
      let mqttUrl: string;
      if (config.mqtt.url) {
        bus = await connectExternalBus({
          url: config.mqtt.url,
          clientId: `comptoir-gateway-${site}`,
          logger,
          ...optional({
            username: config.mqtt.username,
            password: config.mqtt.password,
            ca: config.mqtt.ca,
            cert: config.mqtt.cert,
            key: config.mqtt.key,
          }),
        });
        mqttUrl = config.mqtt.url;
      } else {
        broker = await startEmbeddedBroker({
          site,
          host: config.mqtt.embedded.host,
          port: config.mqtt.embedded.port,
          nodes: store,
          credentials,
          logger,
        });
        bus = new EmbeddedBus(broker.aedes, { logger });
        mqttUrl = broker.url;
      }
      const ingest = await MqttIngest.start({
        bus,
        site,
        ingest: new Ingest(store, { logger }),
        nodes: store,
        clock,
        logger,
      });
      log.info({ site, mqtt: mqttUrl, head: ledger.head.seq }, "gateway started");
      return new GatewayCore(store, ledger, credentials, bus, ingest, broker, mqttUrl, log);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Stops taking batches, signs the gateway chain's head, closes broker and store. */
  async stop(): Promise<void> {
    await this.ingest.stop();
    await this.bus.close();
    await this.broker?.close();
    this.ledger.checkpoint();
    this.store.close();
    this.log.info("gateway stopped");
  }
}

/** The gateway's Ed25519 key, created at first start in its data directory. */
async function gatewayIdentity(dataDir: string, log: Logger): Promise<ChainIdentity> {
  if (existsSync(identityPaths(dataDir).privateKey)) return loadIdentity(dataDir);
  log.info({ dir: dataDir }, "creating the gateway's identity key");
  return createIdentity(dataDir);
}

function optional<T extends Record<string, string | undefined>>(
  values: T,
): Partial<Record<keyof T, string>> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<Record<keyof T, string>>;
}

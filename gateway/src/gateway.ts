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
import { type GatewayConfig, parseListen } from "@comptoir/firmware-config";
import { startAnalytics } from "./analytics/start.js";
import { writeAdminTokenFile } from "./auth/admin-token-file.js";
import { bootstrapAdminToken, TokenStore } from "./auth/tokens.js";
import { NodeCredentials } from "./broker/credentials.js";
import { type EmbeddedBroker, startEmbeddedBroker } from "./broker/embedded.js";
import { dropSessionsOnCredentialChange } from "./broker/sessions.js";
import type { GatewayBus } from "./bus/bus.js";
import { EmbeddedBus } from "./bus/embedded.js";
import { connectExternalBus, ExternalBus } from "./bus/external.js";
import { SigningBus } from "./bus/signing.js";
import { CreditService } from "./credit/service.js";
import { createFileDrop, type FileDropWatcher } from "./file-drop/index.js";
import type { BrokerState } from "./http/context.js";
import { type GatewayServer, serveGateway } from "./http/serve.js";
import { ClockSkewWatch } from "./ingest/clock-skew.js";
import { GroupCommit } from "./ingest/group-commit.js";
import { Ingest } from "./ingest/ingest.js";
import { MqttIngest } from "./ingest/mqtt-ingest.js";
import { PreVerify } from "./ingest/pre-verify.js";
import { GatewayLedger } from "./ledger/gateway-ledger.js";
import { EventHub } from "./live/events.js";
import { IngestEvents } from "./live/ingest-events.js";
import { OrderStatePublisher } from "./orders/publisher.js";
import { OrderService } from "./orders/service.js";
import { PeriodicReconciliation } from "./reconciliation/periodic.js";
import { processTimeZone } from "./schedules/cron.js";
import { gatewayJobs } from "./schedules/gateway-jobs.js";
import { Scheduler } from "./schedules/scheduler.js";
import { publishSiteFormat, siteFormatOf } from "./site/site-format.js";
import { ClockFlags } from "./store/clock-flags.js";
import { Store } from "./store/store.js";
import { planTls } from "./tls/plan.js";
import { ValuationService } from "./valuation/service.js";
import { type Outbox, Webhooks } from "./webhooks/index.js";
import { NodeWebhooks } from "./webhooks/node-events.js";
import { sendLedgerEvents } from "./webhooks/sources.js";

export interface GatewayOptions {
  config: GatewayConfig;
  /** gateway.dataDir, resolved against the config file's folder. */
  dataDir: string;
  logger?: Logger;
  clock?: Clock;
  /** Overrides `http.listen` (tests and the demo use port 0). */
  listen?: { host: string; port: number };
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
    readonly events: EventHub,
    readonly http: GatewayServer,
    /** The admin token created at first start (for callers in this process); undefined afterwards. */
    readonly firstAdminToken: string | undefined,
    /** The 0600 file the first admin token was written to, whose path the start banner prints. */
    readonly firstAdminTokenFile: string | undefined,
    /** Stops the background work: daily credit republish, periodic reconciliation. */
    private readonly stopBackground: () => void,
    private readonly log: Logger,
    /** Outbound webhooks: the outbox services enqueue into, and its deliverer. */
    private readonly webhooks: Webhooks,
    /** The inbound file drop (`fileDrop.directory`), when configured. */
    private readonly fileDrop: FileDropWatcher | undefined,
    /** The scheduled jobs (`schedules`): dunning, reconciliation, the outbound exports. */
    private readonly schedules: Scheduler,
  ) {}

  /** Where services put webhook events, inside the transaction of the change they report. */
  get outbox(): Outbox {
    return this.webhooks.outbox;
  }

  /** With a TLS embedded broker, the PEM its nodes pin (their mqtt.ca; the enrollment answer carries it). */
  get brokerCa(): string | undefined {
    return this.broker?.ca;
  }

  /** The API's base URL, e.g. http://127.0.0.1:8000 (the dashboard is served at its root). */
  get url(): string {
    return this.http.url;
  }

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
      // Before the services, which enqueue into its outbox; its deliverer starts once the API listens.
      const webhooks = new Webhooks(store.db, {
        config: config.webhooks,
        dataDir,
        clock,
        logger,
      });
      // What the ledger records (invoices, letterings, credit, orders, adjustments) goes out with it.
      sendLedgerEvents(ledger, store.db, webhooks.outbox);
      const nodeWebhooks = new NodeWebhooks(store.db, webhooks.outbox);
      nodeWebhooks.catchUp(store.nodes(), clock.now().toISOString());
      const site = config.gateway.site;
      const listen = options.listen ?? parseListen(config.http.listen);
      const tls = await planTls(config, listen.host, dataDir, logger);
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
          limits: config.mqtt.embedded,
          ...(tls.mqtt ? { tls: tls.mqtt } : {}),
          nodes: store,
          credentials,
          logger,
        });
        bus = new EmbeddedBus(broker.aedes, { logger });
        mqttUrl = broker.url;
        dropSessionsOnCredentialChange(credentials, broker.aedes, logger);
      }
      // What the gateway tells nodes (acks, commands, credit, catalog) leaves signed with its key.
      const toNodes = new SigningBus(bus, identity, { logger });
      const events = new EventHub({ clock });
      const live = new IngestEvents(store, events);
      const clocks = new ClockSkewWatch(new ClockFlags(store.db), {
        thresholdSeconds: config.ingest.clockSkewSeconds,
        sink: events,
        logger,
      });
      const valuation = new ValuationService({
        db: store.db,
        clock,
        logger,
        method: config.valuation.method,
        currency: config.credit.currency,
      });
      const credit = new CreditService({
        store,
        ledger,
        config: config.credit,
        clock,
        logger,
        bus: toNodes,
        site,
        locale: config.gateway.locale,
        events,
        // The counters warn of a sale under cost: the cost the next unit out would take.
        costOf: (sku) => valuation.book().nextUnitCost(sku).unitCost,
      });
      const orders = new OrderService({
        store,
        ledger,
        credit,
        clock,
        logger,
        events,
        publisher: new OrderStatePublisher(toNodes, site, { logger }),
      });
      const reconciliation = new PeriodicReconciliation({
        webhooks: webhooks.outbox,
        store,
        catalog: credit.catalog,
        events,
        clock,
        logger,
      });
      credit.catalog.onChange(() => reconciliation.changed());
      const analytics = startAnalytics({
        webhooks: webhooks.outbox,
        store,
        ledger,
        catalog: credit.catalog,
        valuation,
        config,
        events,
        clock,
        logger,
        costsChanged: () => {
          credit.republishCatalog().catch((error: unknown) => {
            log.warn({ err: error }, "catalog not republished after a cost change");
          });
        },
      });
      const ingest = await MqttIngest.start({
        bus: toNodes,
        site,
        // Batches are verified on the other core while this one stores those before them;
        // batches arriving together share one commit (and its fsync), each acked once durable.
        ingest: new PreVerify(
          new GroupCommit(new Ingest(store, { logger }), store.db),
          (node) => store.node(node)?.publicKey,
          { logger },
        ),
        nodes: store,
        clock,
        logger,
        maxQueuedBatches: config.ingest.maxQueuedBatches,
        onOutcome: (node, outcome) => {
          live.outcome(node, outcome);
          // Counter sales and shipments change exposure: republish the customers concerned.
          if (outcome.kind === "broken") {
            nodeWebhooks.broken(node, outcome, clock.now().toISOString());
          }
          if (outcome.kind === "ack" || outcome.kind === "broken") {
            credit.afterIngest(node);
            // Goods tagged for orders: fulfilment states, and alerts for goods left under a hold.
            orders.afterIngest(node);
          }
          if ((outcome.kind === "ack" || outcome.kind === "broken") && outcome.stored > 0) {
            reconciliation.changed();
            analytics.changed();
          }
        },
        onStatus: (node, record) => {
          live.status(node, record);
          clocks.observe(node, record);
          nodeWebhooks.status(node, record.status.state, record.receivedAt);
        },
      });
      const tokens = new TokenStore(store.db, ledger, { clock });
      const fileDrop = createFileDrop({
        config: config.fileDrop,
        dataDir,
        store,
        credit,
        orders,
        clock,
        logger,
      });
      // Cron slots are the site's: 07:00 in Paris whatever zone the host runs in.
      const timeZone = config.gateway.timeZone ?? processTimeZone();
      const schedules = new Scheduler({
        db: store.db,
        jobs: gatewayJobs({
          config,
          dataDir,
          timeZone,
          store,
          credit,
          valuation,
          reconcile: () => reconciliation.runNow(),
          clock,
          logger,
        }),
        timeZone,
        clock,
        logger,
      });
      let http: GatewayServer;
      try {
        http = await serveGateway(
          {
            store,
            ledger,
            tokens,
            credit,
            orders,
            valuation,
            analytics: config.analytics,
            alerts: analytics.alerts,
            catalog: credit.catalog,
            credentials: broker ? credentials : undefined,
            clock,
            logger,
            events,
            nodeStatus: (id) => ingest.status(id),
            nodeClock: (id) => clocks.view(id),
            brokerState: brokerState(bus, mqttUrl),
            site: siteFormatOf(config),
            epcis: { site: config.gateway.site, ...config.epcis },
            ...(tls.mqtt ? { brokerCa: tls.mqtt.ca } : {}),
            ...(config.dunning.webhook ? { dunningWebhook: config.dunning.webhook } : {}),
            webhookAdmin: webhooks.admin,
            webhooks: webhooks.outbox,
            ...(fileDrop ? { fileDrop } : {}),
            schedules,
          },
          {
            ...listen,
            ...(tls.http ? { tls: tls.http } : {}),
            limits: config.http.limits,
            live: config.http.live,
          },
        );
      } catch (error) {
        analytics.stop();
        await ingest.stop();
        await bus.close();
        await broker?.close();
        throw error;
      }
      // Only once the API listens: a token created by a start that then failed would never be shown.
      const firstAdmin = bootstrapAdminToken(tokens);
      const firstAdminFile = firstAdmin
        ? await writeAdminTokenFile(dataDir, firstAdmin.token)
        : undefined;
      // Counters start from current figures; overdue items age at midnight.
      await credit.publishAll().catch((error: unknown) => {
        log.warn(
          { err: error },
          "credit snapshots not all published at start; they follow changes",
        );
      });
      // The dock starts with every order it may still meet (retained per order).
      await orders.publishAll().catch((error: unknown) => {
        log.warn({ err: error }, "order states not all published at start; they follow changes");
      });
      // Every node formats money and dates the site's way (retained, signed like the rest).
      await publishSiteFormat(toNodes, site, siteFormatOf(config), logger);
      const stopDaily = credit.startDailyRepublish();
      reconciliation.start();
      webhooks.start();
      // Not awaited: a first scan with many files must not hold the start (stop() waits for it).
      void fileDrop?.start();
      // After the API: a run missed while the gateway was stopped happens now, once (GET /schedules shows it).
      schedules.start();
      log.info({ site, mqtt: mqttUrl, http: http.url, head: ledger.head.seq }, "gateway started");
      return new GatewayCore(
        store,
        ledger,
        credentials,
        bus,
        ingest,
        broker,
        mqttUrl,
        events,
        http,
        firstAdmin?.token,
        firstAdminFile,
        () => {
          stopDaily();
          reconciliation.stop();
          analytics.stop();
        },
        log,
        webhooks,
        fileDrop,
        schedules,
      );
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Stops taking batches, signs the gateway chain's head, closes broker and store. */
  async stop(): Promise<void> {
    this.stopBackground();
    // A run under way ends first (its outcome and slot are recorded in the store).
    await this.schedules.stop();
    // A file being imported is finished first: its import and its move need the store.
    await this.fileDrop?.stop();
    // A POST in flight is abandoned and counts as not tried: sent again (same Idempotency-Key) at next start.
    await this.webhooks.stop();
    await this.http.close();
    await this.ingest.stop();
    await this.bus.close();
    await this.broker?.close();
    this.ledger.checkpoint();
    this.store.close();
    this.log.info("gateway stopped");
  }
}

/** What /health and /metrics say of MQTT. */
function brokerState(bus: GatewayBus, url: string): () => BrokerState {
  if (bus instanceof ExternalBus) {
    return () =>
      bus.client.connected
        ? { state: "up", url }
        : { state: "connecting", url, detail: "the external broker is unreachable; retrying" };
  }
  return () => ({ state: "up", url });
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

import type { Clock, Logger, NodeClock, SiteFormat } from "@comptoir/contracts";
import type { AnalyticsConfig } from "@comptoir/firmware-config";
import type { Registry } from "prom-client";
import type { AnalyticsAlerts } from "../analytics/alerts.js";
import type { TokenRecord, TokenStore } from "../auth/tokens.js";
import type { NodeCredentials } from "../broker/credentials.js";
import type { Catalog } from "../catalog/service.js";
import type { CreditService } from "../credit/service.js";
import type { EpcisSite } from "../epcis/identifiers.js";
import type { FileDropStatus } from "../file-drop/watcher.js";
import type { NodeStatusRecord } from "../ingest/mqtt-ingest.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { LiveEvents } from "../live/events.js";
import type { OrderService } from "../orders/service.js";
import type { Scheduler } from "../schedules/scheduler.js";
import type { Store } from "../store/store.js";
import type { ValuationService } from "../valuation/service.js";
import type { WebhookAdmin } from "../webhooks/admin.js";
import type { WebhookSink } from "../webhooks/node-events.js";

/** What the broker side reports for health and metrics. */
export interface BrokerState {
  state: "up" | "down" | "connecting";
  /** The broker URL nodes use, or the external broker's. */
  url?: string;
  detail?: string;
}

/** Everything the HTTP API works on, injected so that tests build their own. */
export interface GatewayHttpDeps {
  store: Store;
  ledger: GatewayLedger;
  /** API tokens; by default over the store's database. */
  tokens?: TokenStore;
  /** Products and customers; by default over the store's database. */
  catalog?: Catalog;
  /**
   * The embedded broker's per-node MQTT secrets: when given, enrolling a
   * node issues its secret (returned once). Leave out with an external
   * broker, whose credentials are managed there.
   */
  credentials?: NodeCredentials;
  clock?: Clock;
  logger?: Logger;
  /** The broker's state now; health reports "down" when absent. */
  brokerState?: () => BrokerState;
  /** A node's last reported status (MqttIngest.status fits). */
  nodeStatus?: (node: string) => NodeStatusRecord | undefined;
  /** A node's clock skew and flag (ClockSkewWatch.view fits); not shown when absent. */
  nodeClock?: (node: string) => NodeClock | undefined;
  /** The live feed's events; an empty source when absent. */
  events?: LiveEvents;
  /** Largest request body, in bytes (413 beyond). Default 1 MiB. */
  maxBodyBytes?: number;
  /** PEM the nodes pin for the embedded broker's TLS, handed out at enrollment. */
  brokerCa?: string;
  /** `dunning.webhook` of the gateway config: where dunning runs POST letters (else the outbox directory). */
  dunningWebhook?: string;
  /** Receivables, exposure and credit snapshots; by default over the store, publishing nowhere. Its catalog is the API's. */
  credit?: CreditService;
  /** Sales orders, decided with `credit`; by default over the same store, publishing nowhere. */
  orders?: OrderService;
  /** Stock value and COGS; by default over the store, FIFO. */
  valuation?: ValuationService;
  /** The gateway config's `analytics` (margin floors, slow movers, ABC, reorder); its defaults when absent. */
  analytics?: AnalyticsConfig;
  /** Analytics alerts (margin, slow mover, reorder); by default over the store, publishing to `events`. */
  alerts?: AnalyticsAlerts;
  /** The site's locale, currency and zone (`GET /site`); by default `credit`'s locale and currency. */
  site?: SiteFormat;
  /** The scheduled jobs (`/schedules`); by default the config's default jobs over these deps, not started. */
  schedules?: Scheduler;
  /** The inbound file drop, when `fileDrop.directory` is set: GET /file-drop shows its state. */
  fileDrop?: { status(): FileDropStatus };
  /** The webhook outbox, for events that have no ledger entry (discrepancies seen on request). */
  webhooks?: WebhookSink;
  /** Webhook subscriptions' standing, dead letters and replay (`/webhooks`); none configured when absent. */
  webhookAdmin?: WebhookAdmin;
  /** `gateway.site` and the config's `epcis` section: how the EPCIS export names places and documents. */
  epcis?: EpcisSite;
}

/** The deps with defaults filled in, as route groups receive them. */
export interface RouteDeps {
  store: Store;
  ledger: GatewayLedger;
  tokens: TokenStore;
  catalog: Catalog;
  credentials: NodeCredentials | undefined;
  clock: Clock;
  log: Logger;
  brokerState: () => BrokerState;
  nodeStatus: (node: string) => NodeStatusRecord | undefined;
  nodeClock: (node: string) => NodeClock | undefined;
  events: LiveEvents;
  registry: Registry;
  credit: CreditService;
  orders: OrderService;
  valuation: ValuationService;
  analytics: AnalyticsConfig;
  alerts: AnalyticsAlerts;
  /** How the site writes money and dates: what `GET /site` answers. */
  site: SiteFormat;
  /** The scheduled jobs: what `GET /schedules` lists and `POST /schedules/:job/run` runs. */
  schedules: Scheduler;
  /** How the EPCIS export names places and documents; its time zone is `site`'s. */
  epcis: EpcisSite;
  /** From the gateway config only, never from a request. */
  dunningWebhook?: string;
  /** PEM the nodes pin for the embedded broker's TLS, handed out at enrollment. */
  brokerCa?: string;
  /** The inbound file drop (GET /file-drop); absent when `fileDrop.directory` is not set. */
  fileDrop?: { status(): FileDropStatus };
  /** The webhook outbox, for events that have no ledger entry (discrepancies seen on request). */
  webhooks?: WebhookSink;
  /** Webhook subscriptions' standing, dead letters and replay (`/webhooks`); none configured when absent. */
  webhookAdmin?: WebhookAdmin;
}

/** Hono's context variables once a request is authenticated. */
export interface GatewayEnv {
  Variables: { token: TokenRecord; actor: Actor };
}

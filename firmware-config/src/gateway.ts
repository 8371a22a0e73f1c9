import { DEFAULT_LOCALE, LocaleSchema, TimeZoneSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { HttpConfigSchema, LedgerConfigSchema, LogConfigSchema, MqttUrlSchema } from "./common.js";
import { AnalyticsConfigSchema, ValuationConfigSchema } from "./gateway-analytics.js";
import { EpcisConfigSchema } from "./gateway-epcis.js";
import { FileDropConfigSchema } from "./gateway-file-drop.js";
import {
  GatewayHttpLimitsSchema,
  IngestConfigSchema,
  LiveFeedConfigSchema,
} from "./gateway-http.js";
import { SchedulesConfigSchema } from "./gateway-schedules.js";
import { WebhooksConfigSchema } from "./gateway-webhooks.js";

/**
 * TLS for the embedded broker (mqtts) and the HTTP API (https): the
 * operator's own certificate files, or, without them, a site CA the gateway
 * creates at first start in `<dataDir>/tls` (ca.pem is what nodes pin).
 */
export const GatewayTlsConfigSchema = z.strictObject({
  /** PEM files: the server certificate (chain) and its key. Both, or neither for the site CA. */
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  /** PEM: the CA nodes pin (given at enrollment); without it, nodes pin `cert` itself. */
  ca: z.string().min(1).optional(),
  /** More host names or addresses for the site CA's server certificate (a NAT's, a DNS alias). */
  names: z.array(z.string().min(1).max(253)).max(100).default([]),
  /**
   * Serve or connect in plaintext on a non-loopback address anyway (`mqtt.embedded.tls: false`,
   * `http.tls: false`, an mqtt:// `mqtt.url`). Logged as a warning at every start.
   */
  allowPlaintext: z.boolean().default(false),
});
export type GatewayTlsConfig = z.infer<typeof GatewayTlsConfigSchema>;

/**
 * The site's credit policy (business-rules.md, "Credit exposure and the
 * decision at the counter"). Amounts in minor units of `currency`; every
 * credit snapshot carries it, so counters decide offline by the same rules.
 */
export const CreditConfigSchema = z.strictObject({
  /** The currency receivables, limits and snapshots are kept in. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .default("EUR"),
  /** Overdue amounts at or under this never block (rounding residues): 50.00. */
  overdueFloor: z.number().int().min(0).default(5000),
  /** Block when more than the floor is overdue for more than this many days. */
  overdueDays: z.number().int().min(0).max(3650).default(30),
  /** Offline, a credit snapshot older than this blocks on-account sales: 4 h. */
  offlineMaxAgeSeconds: z
    .number()
    .int()
    .min(0)
    .default(4 * 3600),
  /** Offline, the most one counter sells on account per customer since its snapshot: 500.00. */
  offlineCap: z.number().int().min(0).default(50000),
  /** Approve with a warning when the credit left after the sale is under this (0: never warn). */
  warnBand: z.number().int().min(0).default(0),
  /** Cash application: a difference up to this is written off, with the rule recorded: 1.00. */
  writeOffTolerance: z.number().int().min(0).default(100),
  /**
   * Sales orders approved (or released) and not yet shipped nor invoiced
   * count in a customer's exposure, as their own component. Off: the
   * component is shown empty and orders weigh only once their goods leave.
   */
  openOrdersInExposure: z.boolean().default(true),
});
export type CreditConfig = z.infer<typeof CreditConfigSchema>;

/**
 * Where `POST /dunning/run` sends letters. Only here, in the gateway's
 * config: a URL given per request would let any accounting token make the
 * gateway call any host (SSRF), and a 2xx marks letters sent and blocks credit.
 */
export const DunningOutboxConfigSchema = z.strictObject({
  /** POST each letter as JSON to this URL instead of the outbox directory beside the database. */
  webhook: z.url({ protocol: /^https?$/ }).optional(),
});

export const GatewayConfigSchema = z.strictObject({
  gateway: z.strictObject({
    site: TopicIdSchema,
    /** The gateway's key, ledger and SQLite store; relative to the config file. */
    dataDir: z.string().min(1).default("./data"),
    /**
     * How the site writes money, numbers and dates (BCP 47): "fr-FR" gives
     * "1 487,00 €" and "06/12/2026 19:38". English words either way. The
     * gateway shares it, with `credit.currency`, with every node. Default
     * en-GB: day/month/year on a 24-hour clock, "€1,487.00".
     */
    locale: LocaleSchema.default(DEFAULT_LOCALE),
    /** The IANA zone dates are shown in ("Europe/Paris"); absent: the zone of each screen. */
    timeZone: TimeZoneSchema.optional(),
  }),
  /** The embedded broker (the default), or, with `url`, an external one. */
  mqtt: z
    .strictObject({
      embedded: z
        .strictObject({
          host: z.string().min(1).default("127.0.0.1"),
          port: z.number().int().min(0).max(65535).default(1883),
          /** The largest MQTT packet a logged-in node may send: 4 × a node's 256 KiB batch. */
          maxPacketBytes: z
            .number()
            .int()
            .min(64 * 1024)
            .max(256 * 1024 * 1024)
            .default(1024 * 1024),
          /** Connections that have not completed CONNECT at once; more are closed at accept. */
          maxPendingConnections: z.number().int().min(1).max(100_000).default(64),
          /** The same, from one remote address. */
          maxPendingPerAddress: z.number().int().min(1).max(100_000).default(8),
          /** How long a new connection has to send its CONNECT. */
          connectTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
          /** MQTT over TLS (mqtts://, see `tls`). By default on unless `host` is loopback. */
          tls: z.boolean().optional(),
        })
        .prefault({}),
      /** An external broker (Mosquitto, EMQX) instead of the embedded one: mqtt://host:1883, mqtts://… */
      url: MqttUrlSchema.optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      ca: z.string().optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
    })
    .prefault({}),
  ledger: LedgerConfigSchema.prefault({}),
  http: HttpConfigSchema.extend({
    /** HTTPS (see `tls`). By default on unless `listen` is on loopback. */
    tls: z.boolean().optional(),
    limits: GatewayHttpLimitsSchema.prefault({}),
    live: LiveFeedConfigSchema.prefault({}),
  }).prefault({}),
  ingest: IngestConfigSchema.prefault({}),
  tls: GatewayTlsConfigSchema.prefault({}),
  log: LogConfigSchema.prefault({}),
  credit: CreditConfigSchema.prefault({}),
  dunning: DunningOutboxConfigSchema.prefault({}),
  valuation: ValuationConfigSchema.prefault({}),
  analytics: AnalyticsConfigSchema.prefault({}),
  fileDrop: FileDropConfigSchema.prefault({}),
  /** Scheduled jobs (dunning, reconciliation, the ERP's files), in `gateway.timeZone`. */
  schedules: SchedulesConfigSchema.prefault({}),
  /** Outbound events to the ERP: subscriptions and delivery settings. */
  webhooks: WebhooksConfigSchema.prefault({}),
  /** How the EPCIS 2.0 export names the site's places and documents (GLN, zones → SGLN). */
  epcis: EpcisConfigSchema.prefault({}),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

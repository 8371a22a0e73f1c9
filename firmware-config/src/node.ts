import {
  BelowCostPolicySchema,
  ChainIdSchema,
  CurrencySchema,
  DEFAULT_LOCALE,
  LocaleSchema,
  TimeZoneSchema,
  TopicIdSchema,
  ZoneSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import {
  HttpConfigSchema,
  LedgerConfigSchema,
  LogConfigSchema,
  MqttClientConfigSchema,
} from "./common.js";

export const NODE_ROLES = ["portal", "shelf", "counter", "station"] as const;
export const READER_PROTOCOLS = ["thingmagic", "r2000", "em4100", "line"] as const;

export const AntennaConfigSchema = z.strictObject({
  port: z.number().int().min(1).max(64),
  zone: z.string().min(1).max(64),
});

export const ReaderConfigSchema = z.strictObject({
  id: TopicIdSchema,
  protocol: z.enum(READER_PROTOCOLS),
  /** serial:///dev/serial/by-id/...?baud=115200 or tcp://host:port */
  url: z.string().regex(/^(serial|tcp):\/\/.+/, "must be serial:///dev/... or tcp://host:port"),
  region: z.string().min(2).max(8).optional(),
  /** Read power in dBm. */
  power: z.number().min(0).max(33).optional(),
  antennas: z.array(AntennaConfigSchema).min(1, "at least one antenna must map to a zone"),
});

/** How a supervisor PIN is stored: scrypt, salted (`comptoir pos hash-pin` prints one). */
export const PIN_HASH_PATTERN = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

/** The PIN hash of a supervisor or clerk; a bare PIN here is named as such, with its fix. */
const PinHashSchema = z.string().superRefine((value, ctx) => {
  if (PIN_HASH_PATTERN.test(value)) return;
  ctx.addIssue({
    code: "custom",
    message: /^\d+$/.test(value)
      ? `this is a PIN, not its hash — run \`comptoir pos hash-pin\` with a PIN of 6 to 12 digits${value.length < 6 ? ` (${value.length} digits are too few)` : ""} and put the printed line here`
      : "must be a PIN hash printed by `comptoir pos hash-pin`, never the PIN",
  });
});

export const SupervisorConfigSchema = z.strictObject({
  id: TopicIdSchema,
  name: z.string().min(1).max(100),
  pinHash: PinHashSchema,
});

/** A clerk who signs in at the till with a PIN; sales record the signed-in clerk's id. */
export const ClerkConfigSchema = SupervisorConfigSchema;

const PosConfigFields = z.strictObject({
  /** The oldest credit snapshot a counter may decide from while offline. */
  offlineMaxSnapshotAgeMinutes: z.number().int().min(0).default(240),
  /**
   * Offline, the most this node sells on account per customer since its
   * snapshot, in minor units, when the snapshot carries no site policy.
   */
  offlineCap: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** Who may complete a blocked sale with their PIN. */
  supervisors: z
    .array(SupervisorConfigSchema)
    .max(100)
    .default([])
    .refine(
      (list) => new Set(list.map((s) => s.id)).size === list.length,
      "a supervisor id appears twice",
    ),
  /** Who may sign in at the till (POST /api/v1/pos/clerk/sign-in) with their PIN. */
  clerks: z
    .array(ClerkConfigSchema)
    .max(500)
    .default([])
    .refine(
      (list) => new Set(list.map((s) => s.id)).size === list.length,
      "a clerk id appears twice",
    ),
  /** A clerk's sign-in ends after this many minutes without a sale, check or override. */
  clerkSessionMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Wrong PINs in a row for one supervisor or clerk before they are locked out. */
  pinAttemptsPerMinute: z.number().int().min(1).max(100).default(5),
  /** The first lockout; each further wrong PIN doubles it, up to pinLockoutMaxSeconds. */
  pinLockoutSeconds: z.number().int().min(1).max(3600).default(30),
  pinLockoutMaxSeconds: z.number().int().min(1).max(86_400).default(3600),
  /** Wrong PINs, all ids together (unknown ids included), per window before every PIN check waits. */
  pinNodeFailures: z.number().int().min(1).max(10_000).default(20),
  pinNodeWindowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  /**
   * A line priced under the cost of the product's next unit (the catalog's
   * `unitCost`): "warn" shows it on the line and sells, recording it in the
   * sale; "block" refuses the sale (422 below_cost) unless a supervisor
   * overrides it with their PIN and a reason. A catalog without costs never warns.
   */
  belowCost: BelowCostPolicySchema.default("warn"),
});

export const PosConfigSchema = PosConfigFields.refine(
  (pos) => pos.pinLockoutSeconds <= pos.pinLockoutMaxSeconds,
  {
    // Else every lockout would silently be the maximum, shorter than the first one configured.
    message:
      "pinLockoutSeconds must not exceed pinLockoutMaxSeconds (the first lockout is the shortest)",
    path: ["pinLockoutSeconds"],
  },
);

/**
 * From reads to movements (reference section 6.3, ALE tag smoothing): reads of
 * a tag on an antenna are de-duplicated, a tag enters an antenna's zone after
 * a dwell and leaves it after a timeout without reads.
 */
export const SmoothingConfigSchema = z
  .strictObject({
    /** Reads of a tag on one antenna closer than this to its last counted read are duplicates. */
    dedupMs: z.number().int().min(1).max(60_000).default(50),
    /** Dwell: a glimpsed tag enters the zone after this many de-duplicated reads… */
    observedReads: z.number().int().min(1).max(10_000).default(2),
    /** …or once this long has passed between its first and last read, when set. */
    observedMs: z.number().int().min(0).max(600_000).optional(),
    /** A glimpse not confirmed by the dwell is dropped silently after this long without reads. */
    glimpsedTimeoutMs: z.number().int().min(1).max(600_000).default(500),
    /** A tag in a zone leaves it after this long without reads (3-5 × the worst gap between reads). */
    lostTimeoutMs: z.number().int().min(1).max(3_600_000).default(3000),
    /** Most tags followed at once; past it the least recently read one is forgotten. */
    maxTags: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Shelf nodes: the zone that picked items (gone from every shelf zone) are moved to. */
    pickedZone: ZoneSchema.default("picked"),
    /** Portal nodes: the zones from outside to inside; by default the antennas' zones in config order. */
    portalZones: z.array(ZoneSchema).min(2).optional(),
    /** Portal nodes: zones entered closer together than this were entered at once; RSSI peaks decide. */
    simultaneousMs: z.number().int().min(0).max(60_000).default(100),
  })
  .refine((s) => s.dedupMs < s.glimpsedTimeoutMs && s.dedupMs < s.lostTimeoutMs, {
    message: "dedupMs must be shorter than glimpsedTimeoutMs and lostTimeoutMs",
    path: ["dedupMs"],
  });
export type SmoothingConfig = z.infer<typeof SmoothingConfigSchema>;

/** The node's local API: listen address, which Host names it answers, and kiosk mode. */
export const NodeHttpConfigSchema = HttpConfigSchema.extend({
  /**
   * Host names (or addresses) this node answers to, besides localhost, 127.0.0.1, ::1,
   * the listen host, this machine's host name and its own addresses: a request naming
   * any other Host is refused (421), which stops DNS rebinding.
   */
  allowedHosts: z.array(z.string().min(1).max(253)).max(100).default([]),
  /**
   * Kiosk mode: a browser on the node itself (loopback only) uses the pages and the
   * API without a terminal token. Off unless set; clerk sign-in still applies.
   */
  kiosk: z.boolean().default(false),
  /**
   * Live event streams (SSE: the pages' /events and /pos/events) open at once; beyond,
   * 503 with Retry-After. Each holds a connection and a queue on a small machine.
   */
  maxEventStreams: z.number().int().min(1).max(1000).default(16),
});

/** What the dock does with orders (issue 15): it refuses held and cancelled ones from the states it received. */
export const DockConfigSchema = z.strictObject({
  /**
   * An order this node has never received a state for (new, or sent while the node was
   * cut off): "allow-with-alert" lets it be assigned and raises "goods left under credit
   * hold" if its goods leave; "refuse" refuses the assignment until the state arrives.
   */
  unknownOrders: z.enum(["allow-with-alert", "refuse"]).default("allow-with-alert"),
});
export type DockConfig = z.infer<typeof DockConfigSchema>;

export const NodeConfigSchema = z.strictObject({
  node: z.strictObject({
    id: ChainIdSchema.refine((id) => id !== "gateway", '"gateway" is the gateway\'s own chain'),
    site: TopicIdSchema,
    role: z.enum(NODE_ROLES),
    /** Identity key, ledger and snapshots; relative to the config file. */
    dataDir: z.string().min(1).default("./data"),
    /**
     * How the node's pages and messages write money and dates until the
     * gateway's own locale, currency and zone arrive (retained on `locale`,
     * at each connection); from then on the gateway's apply. BCP 47, default en-GB.
     */
    locale: LocaleSchema.default(DEFAULT_LOCALE),
    /** The currency shown before the gateway's (ISO 4217). */
    currency: CurrencySchema.default("EUR"),
    /** The IANA zone dates are shown in before the gateway's; absent: each screen's own. */
    timeZone: TimeZoneSchema.optional(),
  }),
  readers: z.array(ReaderConfigSchema).default([]),
  mqtt: MqttClientConfigSchema.prefault({}),
  ledger: LedgerConfigSchema.prefault({}),
  http: NodeHttpConfigSchema.prefault({}),
  pos: PosConfigSchema.optional(),
  smoothing: SmoothingConfigSchema.optional(),
  dock: DockConfigSchema.prefault({}),
  log: LogConfigSchema.prefault({}),
});
export type NodeConfig = z.infer<typeof NodeConfigSchema>;

import { ChainIdSchema, TopicIdSchema, ZoneSchema } from "@comptoir/contracts";
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

export const SupervisorConfigSchema = z.strictObject({
  id: TopicIdSchema,
  name: z.string().min(1).max(100),
  pinHash: z
    .string()
    .regex(
      PIN_HASH_PATTERN,
      "must be a PIN hash printed by `comptoir pos hash-pin`, never the PIN",
    ),
});

export const PosConfigSchema = z.strictObject({
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
  /** Wrong PINs allowed per supervisor per minute before tries are refused. */
  pinAttemptsPerMinute: z.number().int().min(1).max(100).default(5),
});

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

export const NodeConfigSchema = z.strictObject({
  node: z.strictObject({
    id: ChainIdSchema.refine((id) => id !== "gateway", '"gateway" is the gateway\'s own chain'),
    site: TopicIdSchema,
    role: z.enum(NODE_ROLES),
    /** Identity key, ledger and snapshots; relative to the config file. */
    dataDir: z.string().min(1).default("./data"),
  }),
  readers: z.array(ReaderConfigSchema).default([]),
  mqtt: MqttClientConfigSchema.prefault({}),
  ledger: LedgerConfigSchema.prefault({}),
  http: HttpConfigSchema.prefault({}),
  pos: PosConfigSchema.optional(),
  smoothing: SmoothingConfigSchema.optional(),
  log: LogConfigSchema.prefault({}),
});
export type NodeConfig = z.infer<typeof NodeConfigSchema>;

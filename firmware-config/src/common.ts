import { LOG_LEVELS } from "@comptoir/contracts";
import { z } from "zod";

/** Parts shared by the node and gateway configurations. */

export const LogConfigSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default("info"),
});

export const LedgerConfigSchema = z.strictObject({
  /** Where the segment files live; by default `<dataDir>/ledger`. */
  dir: z.string().min(1).optional(),
  /** "group": one fsync per window for every append in it; "entry": one fsync per entry. */
  fsync: z.enum(["group", "entry"]).default("group"),
  /**
   * The commit window: appends within it share one write and one fsync. By
   * default 1000 ms on a shelf node and 10 ms on the others. Each commit
   * rewrites the file's last 4 KiB page on the SD card: at 10 movements/s,
   * 10 ms gives every movement its own (about 2.9 GB a day, bench wear) and
   * 1 s about 0.8 GB; a put-away may wait a second, a sale at the counter
   * should not.
   */
  groupCommitMs: z.number().int().min(1).max(1000).optional(),
  segmentBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(16 * 1024 * 1024),
  /** Disk budget: beyond it, segments the gateway acknowledged and a checkpoint covers are removed. */
  maxBytes: z
    .number()
    .int()
    .min(1024 * 1024)
    .optional(),
  /** At start, verify from the last checkpoint ("tail") or the whole chain ("all"). */
  verifyOnStart: z.enum(["tail", "all"]).default("tail"),
  /** A signed checkpoint after this many entries (and at every clean shutdown). */
  checkpointEvery: z.number().int().min(1).max(1_000_000).default(1000),
});
export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;

export const MqttUrlSchema = z
  .string()
  .regex(
    /^(mqtts?|wss?|tcp|tls):\/\/[^\s]+$/,
    "must be a broker URL such as mqtt://127.0.0.1:1883",
  );

export const MqttClientConfigSchema = z.strictObject({
  url: MqttUrlSchema.default("mqtt://127.0.0.1:1883"),
  username: z.string().optional(),
  password: z.string().optional(),
  /**
   * TLS: the CA to trust and nothing else (a PEM file's path, or the PEM itself as enrollment
   * gives it), and this client's certificate and key (PEM files).
   */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  /** mqtt:// to a broker that is not on loopback: refused unless true (then logged as a warning). */
  allowPlaintext: z.boolean().optional(),
  /**
   * Nodes: the gateway's Ed25519 public key (64 hex digits or PEM), as the enrollment answer
   * gives it (gateway.publicKey). When set, the node ignores acks, commands, credit snapshots
   * and catalogs that the gateway did not sign.
   */
  gatewayKey: z
    .string()
    .regex(
      /^\s*([0-9a-fA-F]{64}|-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----)\s*$/,
      "must be the gateway's Ed25519 public key: 64 hex digits or a PEM block",
    )
    .optional(),
});

export const HttpConfigSchema = z.strictObject({
  listen: z
    .string()
    .regex(
      /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/,
      "must be host:port, such as 127.0.0.1:8080",
    )
    .default("127.0.0.1:8080"),
});

/**
 * Parses `host:port` (`[::1]:8080` for IPv6) as `http.listen` gives it.
 * Throws an error naming the setting to fix.
 */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!match || !host || port > 65535) {
    throw new Error(
      `cannot listen on "${listen}": expected host:port such as 127.0.0.1:8080 or [::1]:8080 (port 0 picks a free one) — fix http.listen in the config`,
    );
  }
  return { host, port };
}

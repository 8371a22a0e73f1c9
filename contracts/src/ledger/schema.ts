import { z } from "zod";

export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits (SHA-256)");

/** A node id, or "gateway" for the gateway's own chain. Safe as an MQTT topic level. */
export const ChainIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
  );

export const EntryTypeSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9._-]{0,63}$/,
    "must be a lower-case word such as 'movement' or 'checkpoint'",
  );

export const IsoUtcSchema = z.iso.datetime({ offset: false, local: false });

export const LedgerEntrySchema = z.strictObject({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ts: IsoUtcSchema,
  chain: ChainIdSchema,
  type: EntryTypeSchema,
  // Any JSON value. Entries arrive parsed from JSON, and hashing (canonicalJson)
  // refuses anything that is not JSON data, so a deep check here would only cost time.
  data: z.unknown(),
  prev: Sha256HexSchema,
  hash: Sha256HexSchema,
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** What an entry's hash covers: every field but the hash itself. */
export type EntryBody = Omit<LedgerEntry, "hash">;

export const CHECKPOINT_TYPE = "checkpoint";

/** A checkpoint entry's data: the chain key's signature over the entry before it. */
export const CheckpointDataSchema = z.strictObject({
  seq: z.number().int().min(1),
  hash: Sha256HexSchema,
  key: z.string().regex(/^[0-9a-f]{64}$/, "must be the 32-byte Ed25519 public key in hex"),
  sig: z.string().regex(/^[0-9a-f]{128}$/, "must be the 64-byte Ed25519 signature in hex"),
});
export type CheckpointData = z.infer<typeof CheckpointDataSchema>;

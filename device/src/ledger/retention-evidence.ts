import type { KeyObject } from "node:crypto";
import { sign, verify } from "node:crypto";
import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import {
  type ChainIdentity,
  canonicalJson,
  parsePublicKey,
  Sha256HexSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { fsyncDirectory } from "./segments.js";

/**
 * Retention deletes the oldest segments once the gateway stored them. What
 * is left starts past seq 1, exactly as a copy whose first segment someone
 * deleted by hand. The difference is this file: the node signs, before it
 * deletes anything, where the kept part starts (seq and prev hash) and the
 * gateway's acknowledgement that covered the removed part, kept as it was
 * received. A ledger that starts past seq 1 without it is broken there.
 */
export const RETENTION_EVIDENCE_FILE = "retention.json";

/** Signed bytes start with this, so the signature cannot be taken for a checkpoint's. */
const DOMAIN = "comptoir retention evidence v1\n";

const FieldsSchema = z.strictObject({
  chain: z.string().min(1),
  /** The first seq still on disk, and the prev hash it links to. */
  firstKeptSeq: z.number().int().min(2),
  firstKeptPrev: Sha256HexSchema,
  /** The highest seq the gateway acknowledged when the segments went: at least firstKeptSeq - 1. */
  ackSeq: z.number().int().min(1),
  /** The acknowledgement as received from the gateway (its signature included, when it has one). */
  ack: z.unknown(),
  at: z.string(),
  /** The node's public key (hex) that signed this. */
  key: z.string().regex(/^[0-9a-f]{64}$/),
});
export const RetentionEvidenceSchema = FieldsSchema.extend({
  sig: z.string().regex(/^[0-9a-f]{128}$/),
});
export type RetentionEvidence = z.infer<typeof RetentionEvidenceSchema>;
export type RetentionFields = Omit<RetentionEvidence, "key" | "sig">;

function message(fields: z.infer<typeof FieldsSchema>): Buffer {
  return Buffer.from(DOMAIN + canonicalJson(fields), "utf8");
}

export function signRetentionEvidence(
  identity: ChainIdentity,
  fields: RetentionFields,
): RetentionEvidence {
  const unsigned = { ...fields, key: identity.publicKeyHex };
  const sig = sign(null, message(unsigned), identity.privateKey).toString("hex");
  return { ...unsigned, sig };
}

export function retentionSignatureValid(evidence: RetentionEvidence, key: KeyObject): boolean {
  const { sig, ...fields } = evidence;
  try {
    return verify(null, message(fields), key, Buffer.from(sig, "hex"));
  } catch {
    return false;
  }
}

/** Written tmp → fsync → rename → fsync of the directory: the old evidence or the new, never half. */
export async function writeRetentionEvidence(
  dir: string,
  evidence: RetentionEvidence,
): Promise<void> {
  const path = join(dir, RETENTION_EVIDENCE_FILE);
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w");
  try {
    await file.writeFile(`${JSON.stringify(evidence)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  await fsyncDirectory(dir);
}

/** The evidence in `dir`; undefined when there is none; a string saying what is wrong with it otherwise. */
export async function readRetentionEvidence(
  dir: string,
): Promise<RetentionEvidence | undefined | string> {
  const path = join(dir, RETENTION_EVIDENCE_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return `cannot read ${path}: ${(error as Error).message}`;
  }
  try {
    const parsed = RetentionEvidenceSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    return `${path} is not retention evidence (${issue?.path.join(".") || "file"}: ${issue?.message})`;
  } catch {
    return `${path} is not JSON`;
  }
}

/** The key to check evidence with: the one the verifier was given, else the one it names. */
export function evidenceKey(evidence: RetentionEvidence, given: KeyObject | undefined): KeyObject {
  return given ?? parsePublicKey(evidence.key);
}

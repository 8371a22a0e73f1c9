import type { KeyObject } from "node:crypto";
import { type LedgerEntry, LedgerEntrySchema, type VerifyBroken } from "@comptoir/contracts";
import { z } from "zod";
import { readLines } from "./lines.js";
import {
  evidenceKey,
  type RetentionEvidence,
  readRetentionEvidence,
  retentionSignatureValid,
} from "./retention-evidence.js";
import type { Segment } from "./segments.js";

/** The type of the first entry of a new epoch (Ledger.startEpoch). */
export const EPOCH_TYPE = "epoch";

/** What an epoch's first entry says: which epoch, what it continues from, and why. */
const EpochStartSchema = z.object({
  epoch: z.number(),
  previous: z.object({ epoch: z.number(), lastGoodSeq: z.number(), lastGoodHash: z.string() }),
  reason: z.string(),
});
export type EpochStart = z.infer<typeof EpochStartSchema>;

/** Where verification starts when not at genesis: a segment, the seq there and the prev it trusts. */
export interface CheckpointAt {
  segment: number;
  seq: number;
  prev: string;
}

export type LedgerStart =
  | {
      ok: true;
      /** Undefined for a ledger that starts at seq 1. */
      start?: CheckpointAt;
      /** The signed evidence that let the ledger start past seq 1. */
      evidence?: RetentionEvidence;
      /** The new epoch this ledger starts with, when it starts with one. */
      epoch?: EpochStart;
      /** The key the evidence was checked with: the chain's checkpoints must carry it too. */
      publicKey?: KeyObject;
    }
  | { ok: false; broken: VerifyBroken };

/**
 * How a ledger directory may begin. At seq 1, from genesis. Past seq 1
 * only with retention evidence signed by the node that names that very
 * seq and prev hash and an acknowledgement that covered what went before:
 * without it, the missing entries are a gap at the first seq on disk, the
 * same answer as for any other entry gone missing.
 */
export async function ledgerStart(
  dir: string,
  segments: readonly Segment[],
  options: { chain?: string | undefined; publicKey?: KeyObject | undefined } = {},
): Promise<LedgerStart> {
  const first = segments[0];
  if (!first || first.firstSeq <= 1) return { ok: true };
  const entry = await firstEntry(first);
  if (!entry) {
    const detail = `the first line of ${first.path} is not a ledger entry`;
    return {
      ok: false,
      broken: { ok: false, seq: first.firstSeq, reason: "malformed", detail, count: 0 },
    };
  }
  const broken = (reason: VerifyBroken["reason"], detail: string) =>
    ({ ok: false, broken: { ok: false, seq: entry.seq, reason, detail, count: 0 } }) as const;

  // A new epoch's first entry links to the last entry the gateway verified of the one before.
  const epoch = epochStart(entry);
  if (epoch) return { ok: true, start: { segment: 0, seq: entry.seq, prev: entry.prev }, epoch };

  const evidence = await readRetentionEvidence(dir);
  if (evidence === undefined) {
    return broken(
      "gap",
      `seq 1-${entry.seq - 1} are missing and ${dir} holds no retention evidence (retention.json): the oldest segments were deleted by something other than retention, or copied without it`,
    );
  }
  if (typeof evidence === "string") return broken("malformed", evidence);
  const chain = options.chain ?? entry.chain;
  if (evidence.chain !== chain) {
    return broken("gap", `the retention evidence is for chain "${evidence.chain}", not "${chain}"`);
  }
  if (evidence.firstKeptSeq !== entry.seq || evidence.firstKeptPrev !== entry.prev) {
    return broken(
      "gap",
      `the retention evidence says the ledger starts at seq ${evidence.firstKeptSeq} (prev ${evidence.firstKeptPrev}), but it starts at seq ${entry.seq} (prev ${entry.prev}): segments were removed after it`,
    );
  }
  if (evidence.ackSeq < entry.seq - 1) {
    return broken(
      "gap",
      `the retention evidence's acknowledgement covers seq ${evidence.ackSeq} only, yet seq 1-${entry.seq - 1} were removed`,
    );
  }
  let key: KeyObject;
  try {
    key = evidenceKey(evidence, options.publicKey);
  } catch {
    return broken("malformed", `the retention evidence names no usable key (${evidence.key})`);
  }
  if (!retentionSignatureValid(evidence, key)) {
    return broken(
      options.publicKey ? "signed by another key" : "bad signature",
      `the retention evidence's signature does not verify${options.publicKey ? " with the given public key" : ""}`,
    );
  }
  return {
    ok: true,
    start: { segment: 0, seq: entry.seq, prev: entry.prev },
    evidence,
    publicKey: key,
  };
}

type FirstEntry = Pick<LedgerEntry, "seq" | "prev" | "chain" | "type" | "data">;

function epochStart(entry: FirstEntry): EpochStart | undefined {
  if (entry.type !== EPOCH_TYPE) return undefined;
  const parsed = EpochStartSchema.safeParse(entry.data);
  if (!parsed.success) return undefined;
  const { previous } = parsed.data;
  if (previous.lastGoodSeq !== entry.seq - 1 || previous.lastGoodHash !== entry.prev)
    return undefined;
  return parsed.data;
}

/** The fields read here; the rest of the line is checked by verification, entry by entry. */
const FirstEntrySchema = z.object(
  LedgerEntrySchema.pick({ seq: true, prev: true, chain: true, type: true, data: true }).shape,
);

/** The first line of `segment` when it holds an entry's seq, prev and chain; undefined otherwise. */
export async function firstEntry(segment: Segment): Promise<FirstEntry | undefined> {
  for await (const line of readLines(segment.path)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    const parsed = FirstEntrySchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}

import {
  CHECKPOINT_TYPE,
  ChainVerifier,
  type VerifyOptions,
  type VerifyResult,
} from "@comptoir/contracts";
import { type CheckpointAt, type EpochStart, ledgerStart } from "./ledger-start.js";
import { readLineBatches, readLines } from "./lines.js";
import type { RetentionEvidence } from "./retention-evidence.js";
import { lineSeq, listSegments, type Segment } from "./segments.js";
import { tornTail } from "./tail.js";

/** Stored lines are canonical JSON, so `type` is the last member. */
const CHECKPOINT_SUFFIX = `"type":"${CHECKPOINT_TYPE}"}`;

export function isCheckpointLine(line: string): boolean {
  return line.endsWith(CHECKPOINT_SUFFIX);
}

export interface DirVerifyOptions extends Omit<VerifyOptions, "from"> {
  /** Verify only from the last checkpoint (its signature vouches for what is before it). */
  fromLastCheckpoint?: boolean;
  /** Called now and then with the number of entries verified so far. */
  onProgress?: (verified: number) => void;
}

export interface DirVerifyResult {
  result: VerifyResult;
  /** Set when retention removed the oldest segments: verification started at this seq. */
  startedAt?: number;
  /** The node's signed evidence for that removal (see retention-evidence.ts). */
  evidence?: RetentionEvidence;
  /** The new epoch the ledger starts with, after a recovery (see Ledger.startEpoch). */
  epoch?: EpochStart;
  segments: Segment[];
  /** Bytes after the last newline of the last segment: a torn write, not an entry. */
  tornBytes: number;
  /** Entries after the last checkpoint. */
  sinceCheckpoint: number;
  /** Threads whose verification gave this answer (1 unless verifyLedgerDirInParallel confirmed it). */
  threads: number;
}

/**
 * Verifies a ledger directory without changing it. A torn last line is
 * reported, not counted as damage: the node cuts it off when it opens.
 */
export async function verifyLedgerDir(
  dir: string,
  options: DirVerifyOptions = {},
): Promise<DirVerifyResult> {
  const segments = await listSegments(dir);
  const last = segments.at(-1);
  const tail = last ? await tornTail(last.path) : { size: 0, keep: 0 };
  const tornBytes = tail.size - tail.keep;
  // Checked in both modes: a node that verifies only its tail must notice a missing head too.
  const begin = await ledgerStart(dir, segments, options);
  if (!begin.ok)
    return { result: begin.broken, segments, tornBytes, sinceCheckpoint: 0, threads: 1 };
  const start = options.fromLastCheckpoint ? await findLastCheckpoint(segments) : begin.start;
  const publicKey = options.publicKey ?? begin.publicKey;

  const run = await verifySegments(segments, start, {
    ...options,
    ...(publicKey ? { publicKey } : {}),
  });
  return {
    result: run.result,
    ...(begin.start && !options.fromLastCheckpoint ? { startedAt: begin.start.seq } : {}),
    ...(begin.evidence ? { evidence: begin.evidence } : {}),
    ...(begin.epoch ? { epoch: begin.epoch } : {}),
    segments,
    tornBytes,
    sinceCheckpoint: run.sinceCheckpoint,
    threads: 1,
  };
}

export type { CheckpointAt };

export interface SegmentsVerified {
  result: VerifyResult;
  /** Entries after the last checkpoint met (all of them when none was). */
  sinceCheckpoint: number;
  sawCheckpoint: boolean;
}

/**
 * Verifies `segments` in order, from genesis or from `start` (whose prev is
 * trusted), checking that each segment starts where its name says.
 */
export async function verifySegments(
  segments: readonly Segment[],
  start: CheckpointAt | undefined,
  options: Omit<DirVerifyOptions, "fromLastCheckpoint">,
): Promise<SegmentsVerified> {
  const verifier = new ChainVerifier({
    ...options,
    ...(start ? { from: { seq: start.seq - 1, hash: start.prev } } : {}),
  });
  let sinceCheckpoint = 0;
  let sawCheckpoint = false;
  let result: VerifyResult | undefined;
  for (let index = start?.segment ?? 0; index < segments.length && !result; index++) {
    const segment = segments[index] as Segment;
    let first = true;
    // In the start segment, lines before the start are skipped (the start's prev vouches for them).
    let skipping = start !== undefined && index === start.segment;
    for await (const batch of readLineBatches(segment.path)) {
      if (result) break;
      for (const line of batch) {
        if (skipping) {
          if (lineSeq(line) < (start as CheckpointAt).seq) continue;
          skipping = false;
        }
        const before = verifier.verified;
        const broken = verifier.push(line);
        if (broken) {
          result = broken;
          break;
        }
        // Seeking by file name relies on each segment starting where its name says.
        const accepted = verifier.verified > before;
        if (
          first &&
          accepted &&
          !(start && index === start.segment) &&
          lineSeq(line) !== segment.firstSeq
        ) {
          result = misnamed(segment, lineSeq(line), before);
          break;
        }
        first = false;
        if (isCheckpointLine(line)) {
          sinceCheckpoint = 0;
          sawCheckpoint = true;
        } else {
          sinceCheckpoint++;
        }
        if (options.onProgress && verifier.verified % 100_000 === 0)
          options.onProgress(verifier.verified);
      }
    }
  }
  return { result: result ?? verifier.finish(), sinceCheckpoint, sawCheckpoint };
}

/** The last checkpoint line, searched from the newest segment backwards. */
async function findLastCheckpoint(segments: readonly Segment[]): Promise<CheckpointAt | undefined> {
  for (let index = segments.length - 1; index >= 0; index--) {
    let found: string | undefined;
    for await (const line of readLines((segments[index] as Segment).path)) {
      if (isCheckpointLine(line)) found = line;
    }
    if (found) {
      try {
        const entry = JSON.parse(found) as { seq: number; prev: string };
        return { segment: index, seq: entry.seq, prev: entry.prev };
      } catch {
        // A damaged checkpoint line: verify from the start, which names the damage.
        return undefined;
      }
    }
  }
  return undefined;
}

function misnamed(segment: Segment, actual: number, count: number): VerifyResult {
  return {
    ok: false,
    seq: segment.firstSeq,
    reason: "malformed",
    detail: `segment ${segment.path} starts with seq ${actual}, but its name says ${segment.firstSeq}`,
    count,
  };
}

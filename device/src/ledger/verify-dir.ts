import {
  CHECKPOINT_TYPE,
  ChainVerifier,
  type VerifyOptions,
  type VerifyResult,
} from "@comptoir/contracts";
import { readLineBatches, readLines } from "./lines.js";
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
  const start = options.fromLastCheckpoint
    ? await findLastCheckpoint(segments)
    : await firstKeptEntry(segments);

  const run = await verifySegments(segments, start, options);
  return {
    result: run.result,
    ...(start && !options.fromLastCheckpoint ? { startedAt: start.seq } : {}),
    segments,
    tornBytes: tail.size - tail.keep,
    sinceCheckpoint: run.sinceCheckpoint,
    threads: 1,
  };
}

/** Where verification starts when not at genesis: a segment, the seq there and the prev it trusts. */
export interface CheckpointAt {
  segment: number;
  seq: number;
  prev: string;
}

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
    for await (const batch of readLineBatches(segment.path)) {
      if (result) break;
      for (const line of batch) {
        if (start && index === start.segment && lineSeq(line) < start.seq) continue;
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

/**
 * A ledger whose oldest segments retention removed (after the gateway stored
 * them) starts past seq 1: verification then starts at its first entry,
 * trusting that entry's prev, which the following checkpoints' signatures
 * vouch for. Undefined for a complete ledger.
 */
export async function firstKeptEntry(
  segments: readonly Segment[],
): Promise<CheckpointAt | undefined> {
  const first = segments[0];
  if (!first || first.firstSeq <= 1) return undefined;
  for await (const line of readLines(first.path)) {
    try {
      const entry = JSON.parse(line) as { seq: number; prev: string };
      return { segment: 0, seq: entry.seq, prev: entry.prev };
    } catch {
      return undefined;
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

import { stat, unlink } from "node:fs/promises";
import {
  type ChainIdentity,
  type Clock,
  type Logger,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { firstEntry } from "../ledger/ledger-start.js";
import { readLines } from "../ledger/lines.js";
import { signRetentionEvidence, writeRetentionEvidence } from "../ledger/retention-evidence.js";
import { fsyncDirectory, lineSeq, listSegments, type Segment } from "../ledger/segments.js";
import { isCheckpointLine } from "../ledger/verify-dir.js";

export interface RetentionOptions {
  /** The ledger directory. */
  dir: string;
  /** The highest seq the gateway has acknowledged (stored). */
  ackedSeq: number;
  /** Delete old segments only while the ledger uses more than this. */
  maxBytes: number;
  /** The node's chain id and identity: they sign the evidence written before anything goes. */
  chain: string;
  identity: ChainIdentity;
  /**
   * The gateway's acknowledgement of `ackedSeq`, as it was received (kept in
   * the evidence). Undefined, e.g. after a restart before the next ack:
   * nothing is removed, since there is nothing to show for it.
   */
  ack: unknown;
  clock?: Clock;
  logger?: Logger;
}

export interface RetentionResult {
  deleted: string[];
  freedBytes: number;
  /** The ledger's size after the run. */
  totalBytes: number;
  /** The first seq kept, named in the signed evidence, when something was removed. */
  firstKeptSeq?: number;
  /** Why nothing more could go while over budget, for the log and the status page. */
  blockedBy?: "acknowledgement" | "checkpoint" | "last segment";
}

/**
 * Bounds the ledger's disk use. While the directory is over `maxBytes`, it
 * deletes whole segment files, oldest first, whose every entry the gateway
 * acknowledged and a signed checkpoint covers. Never the last segment, and
 * never the segment holding the last checkpoint: the ledger verifies from
 * that checkpoint when it opens, so it must stay on disk.
 */
export async function applyRetention(options: RetentionOptions): Promise<RetentionResult> {
  const log = (options.logger ?? silentLogger).child({ module: "sync" });
  const segments = await listSegments(options.dir);
  const sizes = await Promise.all(segments.map(async (segment) => (await stat(segment.path)).size));
  let totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  const result: RetentionResult = { deleted: [], freedBytes: 0, totalBytes };
  if (totalBytes <= options.maxBytes) return result;

  const checkpointAt = await lastCheckpointSegment(segments);
  // First decide what may go, then sign where the kept part starts, then delete.
  let removable = 0;
  for (let index = 0; index < segments.length - 1 && totalBytes > options.maxBytes; index++) {
    const next = segments[index + 1] as Segment;
    const lastSeq = next.firstSeq - 1;
    if (lastSeq > options.ackedSeq || options.ack === undefined) {
      result.blockedBy = "acknowledgement";
      break;
    }
    if (checkpointAt === undefined || index >= checkpointAt) {
      result.blockedBy = "checkpoint";
      break;
    }
    totalBytes -= sizes[index] as number;
    removable = index + 1;
  }
  if (removable > 0) {
    const kept = segments[removable] as Segment;
    const first = await firstEntry(kept);
    if (!first) {
      throw new Error(
        `cannot remove old ledger segments: the first line of ${kept.path} is not an entry`,
      );
    }
    const evidence = signRetentionEvidence(options.identity, {
      chain: options.chain,
      firstKeptSeq: first.seq,
      firstKeptPrev: first.prev,
      ackSeq: options.ackedSeq,
      ack: options.ack,
      at: (options.clock ?? systemClock).now().toISOString(),
    });
    // Durable before the first unlink: a crash in between leaves evidence and more segments, never less.
    await writeRetentionEvidence(options.dir, evidence);
    result.firstKeptSeq = first.seq;
  }
  for (let index = 0; index < removable; index++) {
    const segment = segments[index] as Segment;
    await unlink(segment.path);
    result.freedBytes += sizes[index] as number;
    result.deleted.push(segment.path);
  }
  if (totalBytes > options.maxBytes) result.blockedBy ??= "last segment";
  if (result.deleted.length > 0) {
    await fsyncDirectory(options.dir);
    log.info(
      {
        deleted: result.deleted.length,
        freedBytes: result.freedBytes,
        totalBytes,
        firstKeptSeq: result.firstKeptSeq,
      },
      "removed ledger segments the gateway acknowledged; signed evidence in retention.json",
    );
  }
  if (result.blockedBy) {
    log.warn(
      { totalBytes, maxBytes: options.maxBytes, ackedSeq: options.ackedSeq, by: result.blockedBy },
      "the ledger is over its disk budget and nothing more may be removed yet",
    );
  }
  result.totalBytes = totalBytes;
  return result;
}

/** Index of the newest segment holding a checkpoint line; undefined when there is none. */
async function lastCheckpointSegment(segments: readonly Segment[]): Promise<number | undefined> {
  for (let index = segments.length - 1; index >= 0; index--) {
    for await (const line of readLines((segments[index] as Segment).path)) {
      if (isCheckpointLine(line) && Number.isFinite(lineSeq(line))) return index;
    }
  }
  return undefined;
}

import { stat, unlink } from "node:fs/promises";
import { type Logger, silentLogger } from "@comptoir/contracts";
import { readLines } from "../ledger/lines.js";
import { fsyncDirectory, lineSeq, listSegments, type Segment } from "../ledger/segments.js";
import { isCheckpointLine } from "../ledger/verify-dir.js";

export interface RetentionOptions {
  /** The ledger directory. */
  dir: string;
  /** The highest seq the gateway has acknowledged (stored). */
  ackedSeq: number;
  /** Delete old segments only while the ledger uses more than this. */
  maxBytes: number;
  logger?: Logger;
}

export interface RetentionResult {
  deleted: string[];
  freedBytes: number;
  /** The ledger's size after the run. */
  totalBytes: number;
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
  for (let index = 0; index < segments.length - 1 && totalBytes > options.maxBytes; index++) {
    const next = segments[index + 1] as Segment;
    const lastSeq = next.firstSeq - 1;
    if (lastSeq > options.ackedSeq) {
      result.blockedBy = "acknowledgement";
      break;
    }
    if (checkpointAt === undefined || index >= checkpointAt) {
      result.blockedBy = "checkpoint";
      break;
    }
    const segment = segments[index] as Segment;
    await unlink(segment.path);
    const size = sizes[index] as number;
    totalBytes -= size;
    result.freedBytes += size;
    result.deleted.push(segment.path);
  }
  if (totalBytes > options.maxBytes) result.blockedBy ??= "last segment";
  if (result.deleted.length > 0) {
    await fsyncDirectory(options.dir);
    log.info(
      { deleted: result.deleted.length, freedBytes: result.freedBytes, totalBytes },
      "removed ledger segments the gateway acknowledged",
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

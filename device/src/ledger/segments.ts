import { open, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * A ledger directory holds JSON-lines segment files, each named by the seq
 * of its first entry (20 digits, so names sort as numbers do). Finding the
 * file that holds a seq is a binary search over the names.
 */
export interface Segment {
  firstSeq: number;
  path: string;
}

const SEGMENT_NAME = /^(\d{20})\.jsonl$/;

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, "0")}.jsonl`;
}

export async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ firstSeq: Number(match[1]), path: join(dir, match[0]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Index of the segment that holds `seq`: the last one starting at or before it. */
export function segmentIndexFor(segments: readonly Segment[], seq: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((segments[middle] as Segment).firstSeq <= seq) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * Makes a directory entry (a new or renamed file) durable: fsync of the
 * file alone does not cover its name.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The seq of a stored line, read without parsing the whole line. */
export function lineSeq(line: string): number {
  // Canonical order puts prev, seq, ts, type last, and none of those can hold
  // the text `"seq":`, so the last occurrence is the entry's own.
  const at = line.lastIndexOf('"seq":');
  return at < 0 ? Number.NaN : Number.parseInt(line.slice(at + 6, at + 26), 10);
}

import { availableParallelism } from "node:os";
import { parsePublicKey, publicKeyHex, type VerifyResult } from "@comptoir/contracts";
import { ledgerStart } from "./ledger-start.js";
import { readLines } from "./lines.js";
import { listSegments, type Segment } from "./segments.js";
import { tornTail } from "./tail.js";
import {
  type CheckpointAt,
  type DirVerifyOptions,
  type DirVerifyResult,
  isCheckpointLine,
  type SegmentsVerified,
  verifyLedgerDir,
} from "./verify-dir.js";
import { type VerifyJob, verifyRuns } from "./verify-runs.js";

/** More threads than this gain little: reading the files becomes the limit. */
const MAX_THREADS = 4;

export interface ParallelVerifyOptions extends DirVerifyOptions {
  /** Worker threads; by default the machine's cores, at most 4. Below 2, verification runs here. */
  threads?: number;
}

/**
 * verifyLedgerDir over every core: each segment is a run, verified from the
 * prev its first entry names by whichever thread is free next (this one
 * and `threads - 1` workers, see verify-runs.ts), and the runs are then
 * stitched (each run must start exactly after the head the run before it
 * reached). Every checkpoint must carry the
 * key given, or else the first checkpoint's, as the serial verifier asks.
 *
 * It only ever confirms a sound ledger: if any run fails or two runs do not
 * join, the ledger is verified again in order by verifyLedgerDir, whose
 * answer (the first bad seq and its reason) is returned. Ledgers verified
 * from their last checkpoint or against a known checkpoint, and ledgers of
 * a single segment, go to verifyLedgerDir directly.
 */
export async function verifyLedgerDirInParallel(
  dir: string,
  options: ParallelVerifyOptions = {},
): Promise<DirVerifyResult> {
  const { threads: asked, ...serialOptions } = options;
  const threads = Math.min(asked ?? availableParallelism(), MAX_THREADS);
  const serial = () => verifyLedgerDir(dir, serialOptions);
  if (threads < 2 || options.fromLastCheckpoint || options.known) return serial();
  const segments = await listSegments(dir);
  if (segments.length < 2) return serial();
  const head = await firstEntryOf(segments[0] as Segment);
  const chain = options.chain ?? head?.chain;
  // A ledger past seq 1 without its retention evidence: the serial run gives the answer.
  const begin = await ledgerStart(dir, segments, options);
  if (!begin.ok) return serial();
  const key = options.publicKey ?? begin.publicKey;
  const keyHex = key ? publicKeyHex(key) : await firstCheckpointKey(segments[0] as Segment);
  if (!head || chain === undefined || keyHex === undefined) return serial();

  // One run a segment: small enough that the threads finish together, whichever
  // started late (a worker takes a while to load its modules; this thread does not wait).
  const jobs: VerifyJob[] = [];
  for (const [index, segment] of segments.entries()) {
    const start = index === 0 ? begin.start : await startOf(segment);
    if (index > 0 && !start) return serial();
    jobs.push({ segments: [segment], start, chain, publicKeyHex: keyHex });
  }
  const progress = jobs.map(() => 0);
  const done = await verifyRuns(jobs, {
    workers: threads - 1,
    publicKey: key ?? parsePublicKey(keyHex),
    onProgress: (index, verified) => {
      progress[index] = verified;
      options.onProgress?.(progress.reduce((sum, n) => sum + n, 0));
    },
  }).catch(() => undefined);
  // A thread that could not start or died: the same answer, in this thread.
  if (!done) return serial();
  const joined = stitch(jobs, done);
  if (!joined) return serial();
  const last = segments.at(-1) as Segment;
  const tail = await tornTail(last.path);
  const firstStart = jobs[0]?.start;
  return {
    result: joined,
    ...(firstStart ? { startedAt: firstStart.seq } : {}),
    ...(begin.evidence ? { evidence: begin.evidence } : {}),
    ...(begin.epoch ? { epoch: begin.epoch } : {}),
    segments,
    tornBytes: tail.size - tail.keep,
    // Stitched: every run is done.
    sinceCheckpoint: sinceLastCheckpoint(done as SegmentsVerified[]),
    threads,
  };
}

/** The runs' results as one, or undefined when a run failed or does not follow the one before. */
function stitch(
  jobs: readonly VerifyJob[],
  done: readonly (SegmentsVerified | undefined)[],
): VerifyResult | undefined {
  let count = 0;
  let head: { seq: number; hash: string } | undefined;
  for (const [index, job] of jobs.entries()) {
    const run = done[index];
    // A run left undone: another failed first, and the serial run names the failure.
    if (!run?.result.ok) return undefined;
    const start = job.start;
    if (index > 0 && (!start || !head || start.seq !== head.seq + 1 || start.prev !== head.hash))
      return undefined;
    count += run.result.count;
    head = run.result.head;
  }
  return head ? { ok: true, count, head } : undefined;
}

function sinceLastCheckpoint(done: readonly SegmentsVerified[]): number {
  let since = 0;
  for (let index = done.length - 1; index >= 0; index--) {
    const run = done[index] as SegmentsVerified;
    since += run.sinceCheckpoint;
    if (run.sawCheckpoint) break;
  }
  return since;
}

interface FirstEntry {
  chain: string;
  seq: number;
  prev: string;
}

async function firstEntryOf(segment: Segment): Promise<FirstEntry | undefined> {
  for await (const line of readLines(segment.path)) {
    try {
      const entry = JSON.parse(line) as Partial<FirstEntry>;
      if (typeof entry.chain !== "string" || typeof entry.seq !== "number") return undefined;
      if (typeof entry.prev !== "string") return undefined;
      return { chain: entry.chain, seq: entry.seq, prev: entry.prev };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A later run starts at its first segment's first entry, trusting its prev until stitched. */
async function startOf(segment: Segment): Promise<CheckpointAt | undefined> {
  const first = await firstEntryOf(segment);
  if (!first || first.seq !== segment.firstSeq) return undefined;
  return { segment: 0, seq: first.seq, prev: first.prev };
}

/** The key of the ledger's first checkpoint, the one the serial verifier would hold the others to. */
async function firstCheckpointKey(segment: Segment): Promise<string | undefined> {
  for await (const line of readLines(segment.path)) {
    if (!isCheckpointLine(line)) continue;
    try {
      const key = (JSON.parse(line) as { data?: { key?: unknown } }).data?.key;
      return typeof key === "string" ? key : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

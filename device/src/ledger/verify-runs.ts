import type { KeyObject } from "node:crypto";
import { Worker } from "node:worker_threads";
import { workerEntry } from "@comptoir/contracts/worker-entry";
import type { Segment } from "./segments.js";
import { type CheckpointAt, type SegmentsVerified, verifySegments } from "./verify-dir.js";

/** One contiguous run of a ledger's segments, verified from `start` (see verify-parallel.ts). */
export interface VerifyJob {
  segments: Segment[];
  start: CheckpointAt | undefined;
  chain: string;
  publicKeyHex: string;
}

export interface RunsOptions {
  /** Worker threads to start beside this one. */
  workers: number;
  /** The key of `publicKeyHex`, for the runs verified in this thread. */
  publicKey: KeyObject;
  onProgress?: (run: number, verified: number) => void;
}

/**
 * Verifies the runs on this thread and `workers` worker threads, each
 * taking the next run as soon as it is free: this thread starts at once,
 * while a worker first loads its modules (a fraction of a second from the
 * bundle, more from the TypeScript sources), so fixed shares would leave
 * this thread idle or the ledger waiting for the last worker to start.
 * After a run fails no further run is handed out. Rejects when a worker
 * cannot start or dies; the caller then verifies in order.
 */
export async function verifyRuns(
  jobs: readonly VerifyJob[],
  options: RunsOptions,
): Promise<(SegmentsVerified | undefined)[]> {
  const done: (SegmentsVerified | undefined)[] = jobs.map(() => undefined);
  let next = 0;
  const take = (): number | undefined => (next < jobs.length ? next++ : undefined);
  const finished = (index: number, run: SegmentsVerified) => {
    done[index] = run;
    if (!run.result.ok) next = jobs.length;
  };
  const workers = Array.from({ length: options.workers }, () =>
    startWorker(jobs, take, finished, options.onProgress),
  );
  try {
    for (let index = take(); index !== undefined; index = take()) {
      const job = jobs[index] as VerifyJob;
      const run = await verifySegments(job.segments, job.start, {
        chain: job.chain,
        publicKey: options.publicKey,
        onProgress: (verified) => options.onProgress?.(index, verified),
      });
      finished(index, run);
    }
    // Nothing left to hand out: a worker still loading is not waited for.
    for (const worker of workers) worker.stopWhenIdle();
    await Promise.all(workers.map((worker) => worker.settled));
  } finally {
    for (const worker of workers) worker.stop();
  }
  return done;
}

interface RunningWorker {
  /** Resolves once the worker has nothing more to do; rejects if it fails. */
  settled: Promise<void>;
  stopWhenIdle(): void;
  stop(): void;
}

function startWorker(
  jobs: readonly VerifyJob[],
  take: () => number | undefined,
  finished: (index: number, run: SegmentsVerified) => void,
  onProgress: RunsOptions["onProgress"],
): RunningWorker {
  const worker = new Worker(workerEntry(import.meta.url, "verify-worker"));
  let current: number | undefined;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve, reject) => {
    settle = resolve;
    const handOut = () => {
      current = take();
      if (current === undefined) resolve();
      else worker.postMessage(jobs[current]);
    };
    worker.on("message", (message: { type: string; verified?: number } & SegmentsVerified) => {
      if (message.type === "ready") handOut();
      else if (message.type === "progress" && current !== undefined)
        onProgress?.(current, message.verified ?? 0);
      else if (message.type === "done" && current !== undefined) {
        finished(current, { ...message });
        handOut();
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      // After settling this changes nothing; before, the thread died without an answer.
      reject(new Error(`a verification thread exited (${code}) before it answered`));
    });
  });
  // Awaited only while this thread still wants the answer: a failure after that is no one's concern.
  settled.catch(() => undefined);
  return {
    settled,
    stopWhenIdle: () => {
      if (current === undefined) settle();
    },
    stop: () => void worker.terminate(),
  };
}

import { parentPort, workerData } from "node:worker_threads";
import { parsePublicKey } from "@comptoir/contracts";
import type { Segment } from "./segments.js";
import { type CheckpointAt, verifySegments } from "./verify-dir.js";

/** One contiguous run of a ledger's segments, verified in this thread (see verify-parallel.ts). */
export interface VerifyJob {
  segments: Segment[];
  start: CheckpointAt | undefined;
  chain: string;
  publicKeyHex: string;
}

const job = workerData as VerifyJob;
const run = await verifySegments(job.segments, job.start, {
  chain: job.chain,
  publicKey: parsePublicKey(job.publicKeyHex),
  onProgress: (verified) => parentPort?.postMessage({ type: "progress", verified }),
});
parentPort?.postMessage({ type: "done", ...run });

import { parentPort } from "node:worker_threads";
import { type SegmentVerdict, verifySegment } from "./segment-verdict.js";

/** A batch to judge, as `PreVerify` posts it. */
export interface SegmentJob {
  id: number;
  node: string;
  payload: string | Uint8Array;
  key: string;
}

export interface SegmentReply {
  id: number;
  verdict: SegmentVerdict;
}

// The worker of PreVerify (pre-verify.ts): each batch judged in turn, answered in turn.
parentPort?.on("message", (job: SegmentJob) => {
  let verdict: SegmentVerdict;
  try {
    const payload = typeof job.payload === "string" ? job.payload : Buffer.from(job.payload);
    verdict = verifySegment(job.node, payload, job.key);
  } catch {
    verdict = { ok: false };
  }
  parentPort?.postMessage({ id: job.id, verdict } satisfies SegmentReply);
});
parentPort?.postMessage("ready");

import type { KeyObject } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { parsePublicKey } from "@comptoir/contracts";
import { verifySegments } from "./verify-dir.js";
import type { VerifyJob } from "./verify-runs.js";

/** Verifies the runs it is given, one at a time, in this thread (see verify-runs.ts). */
const port = parentPort;
const keys = new Map<string, KeyObject>();

port?.on("message", async (job: VerifyJob) => {
  let key = keys.get(job.publicKeyHex);
  if (!key) {
    key = parsePublicKey(job.publicKeyHex);
    keys.set(job.publicKeyHex, key);
  }
  const run = await verifySegments(job.segments, job.start, {
    chain: job.chain,
    publicKey: key,
    onProgress: (verified) => port.postMessage({ type: "progress", verified }),
  });
  port.postMessage({ type: "done", ...run });
});
port?.postMessage({ type: "ready" });

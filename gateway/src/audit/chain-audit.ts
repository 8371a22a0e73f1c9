import { Worker } from "node:worker_threads";
import { parsePublicKey, type VerifyResult, verify } from "@comptoir/contracts";
import { workerEntry } from "@comptoir/contracts/worker-entry";
import type { Store } from "../store/store.js";

export interface AuditJob {
  dbPath: string;
  chain: string;
  /** The chain's Ed25519 public key, hex or PEM. */
  publicKey: string;
}

export type AuditReply =
  | { kind: "done"; result: VerifyResult }
  | { kind: "failed"; message: string };

/** Another verification is running: the caller answers 429 with Retry-After. */
export class AuditBusyError extends Error {
  override name = "AuditBusyError";
}

/**
 * `GET /audit/:chain/verify`, one at a time and off the main thread: a
 * whole chain (millions of entries) is hashed and its signatures checked in
 * a worker, so the API, ingest and the live feed keep answering meanwhile,
 * and a second request while one runs is refused instead of queued (any
 * viewer may ask, so a queue would be a way to keep the CPU busy).
 */
export class ChainAudit {
  private running = false;

  constructor(private readonly store: Store) {}

  busy(): boolean {
    return this.running;
  }

  async verify(chain: string, publicKey: string): Promise<VerifyResult> {
    if (this.running) throw new AuditBusyError("a chain verification is already running");
    this.running = true;
    try {
      // An in-memory store (tests) cannot be opened by another thread: verify it here.
      if (this.store.db.memory) {
        return verify(this.store.entries(chain), { chain, publicKey: parsePublicKey(publicKey) });
      }
      return await inWorker({ dbPath: this.store.db.name, chain, publicKey });
    } finally {
      this.running = false;
    }
  }
}

function inWorker(job: AuditJob): Promise<VerifyResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerEntry(import.meta.url, "audit-chain-worker"), {
      workerData: job,
    });
    let settled = false;
    worker.once("message", (reply: AuditReply) => {
      settled = true;
      if (reply.kind === "done") resolve(reply.result);
      else reject(new Error(`verifying chain ${job.chain} failed: ${reply.message}`));
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled)
        reject(new Error(`the chain verifier stopped (exit code ${code}) before it answered`));
    });
  });
}

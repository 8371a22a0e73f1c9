import { parentPort, workerData } from "node:worker_threads";
import { parsePublicKey, verify } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { chainEntries } from "../store/store.js";
import type { AuditJob, AuditReply } from "./chain-audit.js";

/**
 * Verifies one stored chain in its own thread (see chain-audit.ts): it opens
 * the gateway's SQLite file read-only (WAL lets it read beside the writer),
 * so neither the entries nor the hashing pass through the main thread. The
 * query is the store's (`chainEntries`).
 */
const job = workerData as AuditJob;
let reply: AuditReply;
const db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
try {
  reply = {
    kind: "done",
    result: verify(chainEntries(db, job.chain), {
      chain: job.chain,
      publicKey: parsePublicKey(job.publicKey),
    }),
  };
} catch (error) {
  reply = { kind: "failed", message: error instanceof Error ? error.message : String(error) };
} finally {
  db.close();
}
parentPort?.postMessage(reply);

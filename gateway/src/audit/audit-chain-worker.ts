import { parentPort, workerData } from "node:worker_threads";
import { parsePublicKey, verify } from "@comptoir/contracts";
import Database from "better-sqlite3";
import type { AuditJob, AuditReply } from "./chain-audit.js";

/**
 * Verifies one stored chain in its own thread (see chain-audit.ts): it opens
 * the gateway's SQLite file read-only (WAL lets it read beside the writer),
 * so neither the entries nor the hashing pass through the main thread. The
 * query is the store's `entries(chain)`.
 */
const job = workerData as AuditJob;
let reply: AuditReply;
const db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
try {
  const rows = db
    .prepare<
      [string],
      {
        chain: string;
        seq: number;
        ts: string;
        type: string;
        data: string;
        prev: string;
        hash: string;
      }
    >("SELECT chain, seq, ts, type, data, prev, hash FROM entries WHERE chain = ? ORDER BY seq")
    .iterate(job.chain);
  const entries = (function* () {
    for (const row of rows) yield { ...row, data: JSON.parse(row.data) as unknown };
  })();
  reply = {
    kind: "done",
    result: verify(entries, { chain: job.chain, publicKey: parsePublicKey(job.publicKey) }),
  };
} catch (error) {
  reply = { kind: "failed", message: error instanceof Error ? error.message : String(error) };
} finally {
  db.close();
}
parentPort?.postMessage(reply);

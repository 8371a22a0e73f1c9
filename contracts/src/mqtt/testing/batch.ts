import type { ChainIdentity } from "../../ledger/keys.js";
import type { LedgerEntry } from "../../ledger/schema.js";
import { signBatch } from "../signed.js";

/**
 * A `node/<node>/ledger` payload signed as a node signs it, for tests that
 * publish or ingest batches by hand. The signature covers the first and last
 * entries given, whatever lies between: tests use it to tamper.
 */
export function signedBatch(
  identity: ChainIdentity,
  node: string,
  entries: readonly LedgerEntry[],
): string {
  const first = entries[0];
  const last = entries.at(-1);
  if (!first || !last) return JSON.stringify({ node, entries });
  const sig = signBatch(identity, { node, first: first.seq, last: last.seq, hash: last.hash });
  return JSON.stringify({ node, entries, sig });
}

import { type ChainIdentity, signBatch } from "@comptoir/contracts";

/**
 * A `node/<node>/ledger` payload built from stored lines as they are: the
 * lines are canonical JSON already, so the batch is canonical JSON too
 * (`entries` sorts before `node`, then `sig`) without parsing or
 * re-serialising them. `sig` is the node's Ed25519 signature over its id,
 * the first and last seq and the last hash (contracts `batchMessage`): the
 * gateway stores nothing it cannot verify against the node's enrolled key.
 */
export function batchPayload(node: string, lines: readonly string[], sig: string): string {
  return `{"entries":[${lines.join(",")}],"node":${JSON.stringify(node)},"sig":"${sig}"}`;
}

/** Signs the batch of `lines` (consecutive stored entries from seq `first`) and builds its payload. */
export function signedBatchPayload(
  identity: ChainIdentity,
  node: string,
  first: number,
  lines: readonly string[],
): string {
  const lastLine = lines.at(-1);
  if (lastLine === undefined) throw new RangeError("a ledger batch holds at least one entry");
  // One parse per batch: the last line's hash is what the signature covers.
  const { hash } = JSON.parse(lastLine) as { hash: string };
  const sig = signBatch(identity, { node, first, last: first + lines.length - 1, hash });
  return batchPayload(node, lines, sig);
}

/** The bytes a batch adds around its lines: braces, keys, the node id, the signature and the commas. */
export function batchOverhead(node: string, entries: number): number {
  return batchPayload(node, [], "0".repeat(128)).length + Math.max(0, entries - 1);
}

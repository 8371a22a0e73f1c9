import {
  batchSignatureValid,
  type ChainIdentity,
  entryHash,
  GENESIS_PREV,
  type LedgerEntry,
  sealEntry,
  signBatch,
} from "@comptoir/contracts";

/**
 * What signed sync (issue 13, item 5) adds to one batch: the node's Ed25519
 * signature and the gateway's check of it, in µs per batch. The baseline is
 * work every batch already costs: recomputing its entries' hashes, as the
 * gateway's verification does. The ratio says how much the signature adds
 * next to that. Both run here, on the same batch, in the same run.
 */
export function signingCost(
  identity: ChainIdentity,
  node: string,
  entriesPerBatch: number,
  movement: (i: number) => Record<string, unknown>,
  rounds: number,
): { signVerifyMicros: number; hashMicros: number } {
  const entries: LedgerEntry[] = [];
  const lines: string[] = [];
  let prev = GENESIS_PREV;
  for (let i = 0; i < entriesPerBatch; i++) {
    const { entry, line } = sealEntry({
      seq: i + 1,
      ts: "2026-11-22T10:00:00.000Z",
      chain: node,
      type: "movement",
      data: movement(i),
      prev,
    });
    entries.push(entry);
    lines.push(line.slice(0, -1));
    prev = entry.hash;
  }
  const last = entries.at(-1) as LedgerEntry;
  const head = { node, first: 1, last: last.seq, hash: last.hash };
  let valid = 0;
  const signStarted = performance.now();
  const lastLine = lines.at(-1) as string;
  for (let r = 0; r < rounds; r++) {
    // What the node adds (one parse of the last line, one signature) and the gateway's check.
    const { hash } = JSON.parse(lastLine) as { hash: string };
    const sig = signBatch(identity, { ...head, hash });
    if (batchSignatureValid(head, sig, identity.publicKey)) valid++;
  }
  const signMs = performance.now() - signStarted;
  let same = 0;
  const hashStarted = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const { hash, ...body } of entries) if (entryHash(body) === hash) same++;
  }
  const hashMs = performance.now() - hashStarted;
  if (valid !== rounds || same !== rounds * entries.length)
    throw new Error("signing bench: a signature or a hash did not check out");
  return { signVerifyMicros: (signMs * 1000) / rounds, hashMicros: (hashMs * 1000) / rounds };
}

import type { KeyObject } from "node:crypto";
import { batchSignatureValid, entryHash, LedgerEntrySchema } from "@comptoir/contracts";

/** Why a batch cannot be taken as the node's: nothing of it is stored, compared or projected. */
export interface Unauthentic {
  /** One line for the log: the node's seq range and what is wrong. */
  problem: string;
  /**
   * Set when an entry's content no longer gives its own hash while the links around it
   * hold: the node's local copy is damaged at that seq (or someone altered it in transit),
   * and the node is told so.
   */
  corrupt?: { seq: number; reason: string };
}

/**
 * Whether a ledger batch is the node's own, in two steps.
 *
 * The node signs its id, the first and last seq and the last hash
 * (`signatureProblem`, checked before anything of the batch is used). That
 * hash commits to every entry of the batch only through the chain, so the
 * batch must also be a consistent segment on its own (`segmentProblem`):
 * consecutive seqs, each entry's hash recomputed from its content, each
 * `prev` the hash before it, ending at the signed hash. A batch that passes
 * both was written by the node's key; what it then disagrees with (the
 * stored head, an entry stored earlier, the enrolled key in a checkpoint) is
 * the node's doing and may mark it broken. A batch that fails was forged or
 * altered on the way (or damaged on the node's disk), and must never mark
 * the real node broken.
 *
 * Ingest asks for the segment check only when it matters, so that the
 * common batch (new entries, verified from the stored head anyway, which
 * checks the same links and hashes) does not pay for every hash twice: when
 * the batch holds entries already stored (compared with the store, which can
 * mark the node broken), and before marking a node broken.
 */
export function signatureProblem(
  node: string,
  entries: readonly unknown[],
  sig: string | undefined,
  publicKey: KeyObject,
): Unauthentic | undefined {
  const firstItem = entries[0] as { seq?: unknown; prev?: unknown } | null;
  const lastItem = entries.at(-1) as { seq?: unknown; hash?: unknown } | null;
  const first = firstItem?.seq;
  const last = lastItem?.seq;
  const hash = lastItem?.hash;
  if (
    !isSeq(first) ||
    !isSeq(last) ||
    typeof hash !== "string" ||
    typeof firstItem?.prev !== "string"
  )
    return { problem: "the first and last entries carry no seq, prev or hash" };
  const range = `seq ${first}-${last}`;
  if (sig === undefined)
    return { problem: `${range}: unsigned (no sig; node software older than signed sync?)` };
  if (!batchSignatureValid({ node, first, last, hash }, sig, publicKey))
    return { problem: `${range}: bad signature (not the node's enrolled key, or altered)` };
  return undefined;
}

/** The segment check (see `signatureProblem`), for a batch whose signature was checked. */
export function segmentProblem(node: string, entries: readonly unknown[]): Unauthentic | undefined {
  const first = (entries[0] as { seq: number }).seq;
  const last = (entries.at(-1) as { seq: number }).seq;
  const range = `seq ${first}-${last}`;
  const broken = segmentBreak(node, entries, first);
  if (broken) {
    const problem = `${range}: not a consistent chain segment at seq ${broken.seq} (${broken.what})`;
    return broken.what === "bad hash"
      ? {
          problem,
          corrupt: {
            seq: broken.seq,
            reason: "local copy corrupted: the entry's content does not match its hash",
          },
        }
      : { problem };
  }
  return undefined;
}

/**
 * The first place where the batch stops being a chain on its own terms: an entry that is not
 * one, a seq out of line, a `prev` that is not the hash before it, or a hash its content does
 * not give. Checkpoint signatures are not looked at here (the verifier checks them).
 */
function segmentBreak(
  node: string,
  entries: readonly unknown[],
  first: number,
): { seq: number; what: string } | undefined {
  let prev: string | undefined;
  for (let i = 0; i < entries.length; i++) {
    const seq = first + i;
    const parsed = LedgerEntrySchema.safeParse(entries[i]);
    if (!parsed.success) return { seq, what: "malformed" };
    const { hash, ...body } = parsed.data;
    if (body.seq !== seq || body.chain !== node) return { seq, what: "out of line" };
    if (prev !== undefined && body.prev !== prev) return { seq, what: "broken link" };
    let recomputed: string;
    try {
      recomputed = entryHash(body);
    } catch {
      return { seq, what: "malformed" };
    }
    if (recomputed !== hash) return { seq, what: "bad hash" };
    prev = hash;
  }
  return undefined;
}

function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1;
}

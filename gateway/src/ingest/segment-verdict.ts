import type { KeyObject } from "node:crypto";
import { ChainVerifier, parsePublicKey } from "@comptoir/contracts";
import { parseEnvelope } from "./envelope.js";
import { signatureProblem } from "./segment.js";

/**
 * What a ledger batch is on its own terms, found without the stored head
 * (so in another thread, while the store is busy with the batch before).
 * `ok`: signed by the node key `key`, and a valid chain segment from
 * (`first` − 1, `prev`) to (`last`, `hash`) — every entry well formed and
 * canonical, each hash its content's, each link the hash before it, each
 * checkpoint signed by `key` over the entry before it. What is left to
 * ingest is one comparison: does the segment start at the stored head, with
 * the key the node is enrolled with now? Anything else (`ok: false`, a
 * segment that starts elsewhere) goes through ingest's own checks, which
 * name the problem; a verdict never refuses or breaks anything by itself.
 */
export type SegmentVerdict =
  | {
      ok: true;
      key: string;
      first: number;
      last: number;
      prev: string;
      hash: string;
      /** Each entry's data as stored: the canonical JSON its hash was computed over. */
      dataJson: string[];
    }
  | { ok: false };

const NOT_A_SEGMENT: SegmentVerdict = { ok: false };

/** Parsed keys by hex: a site has a few nodes, each batch names one of them. */
const keys = new Map<string, KeyObject>();

export function verifySegment(
  node: string,
  payload: string | Buffer,
  publicKeyHex: string,
): SegmentVerdict {
  const envelope = parseEnvelope(payload);
  if (typeof envelope === "string" || envelope.node !== node) return NOT_A_SEGMENT;
  const { entries } = envelope;
  const key = keyOf(publicKeyHex);
  if (!key || signatureProblem(node, entries, envelope.sig, key)) return NOT_A_SEGMENT;
  // signatureProblem found a seq and a prev on the first entry.
  const { seq: first, prev } = entries[0] as { seq: number; prev: string };
  const verifier = new ChainVerifier({
    chain: node,
    publicKey: key,
    from: { seq: first - 1, hash: prev },
  });
  const dataJson: string[] = [];
  for (const item of entries) {
    if (verifier.push(item)) return NOT_A_SEGMENT;
    // What ingest's own verification would store (ingest.ts): the JSON made for the hash,
    // or, for an entry the verifier took the slow way, its data stringified.
    const { data } = item as { data: unknown };
    const canonical = verifier.lastCanonicalData;
    dataJson.push(
      canonical.data === data && canonical.json ? canonical.json : JSON.stringify(data),
    );
  }
  const end = verifier.finish();
  if (!end.ok || end.count !== entries.length) return NOT_A_SEGMENT;
  return {
    ok: true,
    key: publicKeyHex,
    first,
    last: end.head.seq,
    prev,
    hash: end.head.hash,
    dataJson,
  };
}

function keyOf(hex: string): KeyObject | undefined {
  let key = keys.get(hex);
  if (!key) {
    try {
      key = parsePublicKey(hex);
    } catch {
      return undefined;
    }
    if (keys.size >= 1000) keys.clear();
    keys.set(hex, key);
  }
  return key;
}

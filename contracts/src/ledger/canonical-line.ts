import { isCanonicalOrder } from "../canonical-json.js";
import { canonicalJsonEnd } from "../canonical-json-scan.js";
import { sha256Hex } from "../hash.js";

/** An entry's members whose values were already validated against their schemas. */
export interface ValidatedFields {
  chain: string;
  prev: string;
  seq: number;
  ts: string;
  type: string;
}

/*
 * Fast ways to hash ledger entries, used when verifying them.
 *
 * Our writer stores each entry as the RFC 8785 canonical JSON of the whole
 * entry. When the caller has already validated chain, prev, seq, ts and type
 * (whose alphabets need no JSON escaping, so their canonical form is just
 * `"value"` or the integer), the canonical line is fully determined by those
 * fields, the hash and the canonical form of `data`.
 */

/** A stored line read the fast way: its ts, type and hash, and the hash its canonical body has. */
export interface CanonicalLine {
  ts: string;
  type: string;
  hash: string;
  bodyHash: string;
}

/**
 * The fast way to check a stored line without parsing it: when the line is
 * the canonical JSON of an entry of the chain whose lines start with
 * `head` (`{"chain":"<chain>","data":`, for a chain id that needs no
 * escaping), with this `prev` and `seq`, returns its ts, type and hash
 * (for the caller to validate) and the SHA-256 of its body: the line's own
 * bytes without `"hash":"<hash>",`, which for a canonical line are exactly
 * the canonical body entryHash covers. The data must be canonical as it
 * stands (canonicalJsonEnd), since a line whose bytes hash right but that
 * is not the canonical form would otherwise pass on a hash that is not the
 * canonical one. Otherwise undefined, and the caller verifies the slow way.
 */
export function readCanonicalLine(
  line: string,
  head: string,
  prev: string,
  seq: number,
): CanonicalLine | undefined {
  // Pieces are compared as slices: === on strings is a native compare, where
  // startsWith at an offset goes character by character (several times slower).
  if (line.slice(0, head.length) !== head) return undefined;
  const dataEnd = canonicalJsonEnd(line, head.length);
  if (dataEnd < 0 || line.slice(dataEnd, dataEnd + 9) !== ',"hash":"') return undefined;
  const hashStart = dataEnd + 9;
  const hashEnd = hashStart + 64;
  const prevStart = hashEnd + 10;
  const seqStart = prevStart + prev.length + 8;
  const seqText = `${seq}`;
  const tsStart = seqStart + seqText.length + 7;
  if (
    line.slice(hashEnd, prevStart) !== '","prev":"' ||
    line.slice(prevStart, prevStart + prev.length) !== prev ||
    line.slice(seqStart - 8, seqStart) !== '","seq":' ||
    line.slice(seqStart, seqStart + seqText.length) !== seqText ||
    line.slice(tsStart - 7, tsStart) !== ',"ts":"'
  )
    return undefined;
  // ts and type are the caller's to validate: their alphabets need no escaping, so no quote ends them early.
  const tsEnd = line.indexOf('"', tsStart);
  if (tsEnd < 0 || line.slice(tsEnd, tsEnd + 10) !== '","type":"' || !line.endsWith('"}'))
    return undefined;
  const typeStart = tsEnd + 10;
  if (typeStart > line.length - 2) return undefined;
  return {
    ts: line.slice(tsStart, tsEnd),
    type: line.slice(typeStart, -2),
    hash: line.slice(hashStart, hashEnd),
    bodyHash: sha256Hex(line.slice(0, dataEnd + 1) + line.slice(hashEnd + 2)),
  };
}

/**
 * The same shortcut for an entry that arrived as a parsed object (a node's
 * batch): the SHA-256 of its canonical body when `data` is already in
 * canonical member order and holds only JSON values, so that JSON.stringify
 * gives its canonical form without canonicalising it again; otherwise
 * undefined, and the caller hashes the slow way.
 */
export function canonicalBodyHash(
  fields: ValidatedFields,
  data: unknown,
  out?: CanonicalData,
): string | undefined {
  const body = canonicalBody(fields, data);
  if (body === undefined) return undefined;
  if (out) {
    // head is `{"chain":"<chain>","data":<data JSON>,`
    out.data = data;
    out.json = body.head.slice(DATA_AT + fields.chain.length, -1);
  }
  return sha256Hex(body.head + body.tail);
}

/**
 * The canonical JSON of an entry's `data` as `canonicalBodyHash` made it, with the
 * data it was made of: a caller that stores the entry need not stringify it again.
 */
export interface CanonicalData {
  data: unknown;
  json: string | undefined;
}

const DATA_AT = '{"chain":"'.length + '","data":'.length;

function canonicalBody(
  fields: ValidatedFields,
  data: unknown,
): { head: string; tail: string } | undefined {
  if (!isCanonicalOrder(data)) return undefined;
  const dataJson = JSON.stringify(data);
  if (dataJson === undefined) return undefined;
  return {
    head: `{"chain":"${fields.chain}","data":${dataJson},`,
    tail: `"prev":"${fields.prev}","seq":${fields.seq},"ts":"${fields.ts}","type":"${fields.type}"}`,
  };
}

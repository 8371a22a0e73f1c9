import { isCanonicalOrder } from "../canonical-json.js";
import { sha256Hex } from "../hash.js";

/** An entry's members whose values were already validated against their schemas. */
export interface ValidatedFields {
  chain: string;
  prev: string;
  seq: number;
  ts: string;
  type: string;
}

/**
 * The fast way to check a stored line, used when verifying ledgers.
 *
 * Our writer stores each entry as the RFC 8785 canonical JSON of the whole
 * entry. When the caller has already validated chain, prev, seq, ts and type
 * (whose alphabets need no JSON escaping, so their canonical form is just
 * `"value"` or the integer), the canonical line is fully determined by those
 * fields, the hash and the canonical form of `data`. `data` is canonical when
 * JSON.stringify gives it back unchanged (no whitespace, standard escapes and
 * number forms) with every object's members sorted and no lone surrogate.
 *
 * If the stored line is exactly that canonical line, returns the SHA-256 of
 * the canonical body (everything but `hash`); otherwise undefined, and the
 * caller verifies the slow way, which names whatever is wrong.
 */
export function canonicalLineHash(
  line: string,
  fields: ValidatedFields,
  data: unknown,
  hash: unknown,
): string | undefined {
  if (typeof hash !== "string") return undefined;
  const body = canonicalBody(fields, data);
  if (body === undefined) return undefined;
  if (line !== `${body.head}"hash":"${hash}",${body.tail}`) return undefined;
  return sha256Hex(body.head + body.tail);
}

/**
 * The same shortcut for an entry that arrived as a parsed object (a node's
 * batch): the SHA-256 of its canonical body when `data` is already in
 * canonical member order and holds only JSON values, so that JSON.stringify
 * gives its canonical form without canonicalising it again; otherwise
 * undefined, and the caller hashes the slow way.
 */
export function canonicalBodyHash(fields: ValidatedFields, data: unknown): string | undefined {
  const body = canonicalBody(fields, data);
  return body === undefined ? undefined : sha256Hex(body.head + body.tail);
}

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

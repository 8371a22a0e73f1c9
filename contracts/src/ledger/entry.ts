import { canonicalJson } from "../canonical-json.js";
import { sha256Hex } from "../hash.js";
import type { EntryBody, LedgerEntry } from "./schema.js";

/**
 * The canonical bytes an entry's hash covers: RFC 8785 JSON of every field
 * but `hash`. The member order is fixed by the canonical sort
 * (chain, data, prev, seq, ts, type), so only `data` needs sorting.
 */
export function entryBodyJson(body: EntryBody): string {
  return `${bodyHead(body)}${bodyTail(body)}`;
}

export function entryHash(body: EntryBody): string {
  return sha256Hex(entryBodyJson(body));
}

/** chain, ts, type and prev values whose canonical JSON is just the value in quotes. */
const PLAIN = /^[A-Za-z0-9_.:-]+$/;

/**
 * Builds the next entry of a chain and its stored line: the canonical JSON of
 * the whole entry (hash included, in its sorted place) and a newline. This is
 * the writer's hot path, so the fixed members skip canonicalJson once a cheap
 * test shows they need no escaping.
 */
export function sealEntry(body: EntryBody): { entry: LedgerEntry; line: string } {
  const { chain, data, prev, seq, ts, type } = body;
  const plain =
    PLAIN.test(chain) &&
    PLAIN.test(ts) &&
    PLAIN.test(type) &&
    PLAIN.test(prev) &&
    Number.isSafeInteger(seq);
  const head = plain ? `{"chain":"${chain}","data":${canonicalJson(data)},` : bodyHead(body);
  const tail = plain
    ? `"prev":"${prev}","seq":${seq},"ts":"${ts}","type":"${type}"}`
    : bodyTail(body);
  const hash = sha256Hex(head + tail);
  const entry: LedgerEntry = { seq, ts, chain, type, data, prev, hash };
  return { entry, line: `${head}"hash":"${hash}",${tail}\n` };
}

/** The canonical stored line of an entry that already carries its hash. */
export function entryLine(entry: LedgerEntry): string {
  return `${bodyHead(entry)}"hash":"${entry.hash}",${bodyTail(entry)}\n`;
}

function bodyHead(body: EntryBody): string {
  return `{"chain":${canonicalJson(body.chain)},"data":${canonicalJson(body.data)},`;
}

function bodyTail(body: EntryBody): string {
  return `"prev":${canonicalJson(body.prev)},"seq":${canonicalJson(body.seq)},"ts":${canonicalJson(body.ts)},"type":${canonicalJson(body.type)}}`;
}

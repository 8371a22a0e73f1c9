import { formatPath } from "./issues.js";

/**
 * Text enters Comptoir as bytes (HTTP bodies, CSV and XML files, MQTT
 * payloads, a serial reader's lines). A lenient decoder turns invalid
 * UTF-8 into U+FFFD and the lossy value is stored, even signed into a
 * ledger. Every edge decodes with this strict one instead and refuses what
 * is not UTF-8, saying where.
 */

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

export type Utf8Result =
  | { ok: true; text: string }
  | {
      ok: false;
      /** Byte offset of the first invalid sequence. */
      offset: number;
      /** 1-based line of that byte (lines end with \n). */
      line: number;
    };

/** The text of `bytes`, or where the first byte that is not UTF-8 sits. A leading BOM is kept. */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    return { ok: false, offset, line };
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The lead byte gives the length and the range the second byte must fall in
    // (which rules out overlong forms, surrogates and code points past U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf))
        return i;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * Where invalid UTF-8 sits in a JSON document, for a message that names
 * the field: the path of the first string (or key) that decodes with a
 * replacement character, when the document parses once decoded leniently;
 * else undefined, and the caller names the byte offset.
 */
function invalidUtf8JsonPath(bytes: Uint8Array): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(lenient.decode(bytes));
  } catch {
    return undefined;
  }
  const path = findReplacement(value, []);
  return path === undefined ? undefined : formatPath(path) || "(body)";
}

function findReplacement(value: unknown, path: PropertyKey[]): PropertyKey[] | undefined {
  if (typeof value === "string") return value.includes("\uFFFD") ? path : undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findReplacement(value[index], [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\uFFFD")) return [...path, key];
      const found = findReplacement(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** One problem for a JSON body that is not UTF-8: the field when it can be named, else the byte. */
export function invalidUtf8JsonProblem(
  bytes: Uint8Array,
  offset: number,
): { path: string; message: string } {
  const path = invalidUtf8JsonPath(bytes);
  return path
    ? {
        path,
        message: `${path} is not valid UTF-8 (first bad byte at offset ${offset}) — send text as UTF-8`,
      }
    : {
        path: "",
        message: `the body is not valid UTF-8 at byte offset ${offset} — send text as UTF-8`,
      };
}

/**
 * An MQTT payload as JSON, decoded strictly: a payload that is not UTF-8
 * is refused, never parsed with U+FFFD in place of its bad bytes (a ledger
 * entry so changed no longer matches its hash, a status names a node that
 * does not exist). The problem fits a log line.
 */
export function parseJsonPayload(
  payload: Uint8Array | string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  let text: string;
  if (typeof payload === "string") text = payload;
  else {
    const decoded = decodeUtf8(payload);
    if (!decoded.ok) return { ok: false, problem: `not UTF-8 (byte offset ${decoded.offset})` };
    text = decoded.text;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: "not JSON" };
  }
}

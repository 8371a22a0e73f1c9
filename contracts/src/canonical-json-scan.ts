/**
 * Whether JSON text is already in its canonical form (canonical-json.ts),
 * decided in one scan of the text instead of JSON.parse, a canonicality
 * check and JSON.stringify: verifying a stored ledger line this way costs a
 * fraction of parsing it. Exact, not merely safe: for any text,
 * `canonicalJsonEnd(text, 0) === text.length` exactly when
 * `text === canonicalJson(JSON.parse(text))` (property-tested in
 * canonical-json-scan.test.ts). Canonical text has no whitespace, members
 * in strictly increasing UTF-16 order (so no duplicate), numbers in
 * ECMAScript's shortest form, strings escaped as JSON.stringify escapes
 * them and no lone surrogate.
 */

/**
 * The index just past the canonical JSON value that starts at `start`, or
 * -1 when the text there is not one. Text after the value is not looked at.
 */
export function canonicalJsonEnd(text: string, start: number): number {
  try {
    return valueEnd(text, start);
  } catch {
    // Nesting deeper than the stack: not taken as canonical, the caller does it the full way.
    return -1;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

function valueEnd(text: string, at: number): number {
  switch (text.charCodeAt(at)) {
    case 0x7b: // {
      return objectEnd(text, at);
    case 0x5b: // [
      return arrayEnd(text, at);
    case QUOTE:
      return stringEnd(text, at);
    case 0x74: // t
      return text.startsWith("true", at) ? at + 4 : -1;
    case 0x66: // f
      return text.startsWith("false", at) ? at + 5 : -1;
    case 0x6e: // n
      return text.startsWith("null", at) ? at + 4 : -1;
    default:
      return numberEnd(text, at);
  }
}

function objectEnd(text: string, open: number): number {
  let at = open + 1;
  if (text.charCodeAt(at) === 0x7d) return at + 1;
  let previousKey = -1;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return -1;
    const keyEnd = stringEnd(text, at);
    if (keyEnd < 0) return -1;
    if (previousKey >= 0 && !keyBefore(text, previousKey, at, keyEnd)) return -1;
    previousKey = at;
    if (text.charCodeAt(keyEnd) !== COLON) return -1;
    at = valueEnd(text, keyEnd + 1);
    if (at < 0) return -1;
    const next = text.charCodeAt(at);
    if (next === 0x7d) return at + 1;
    if (next !== COMMA) return -1;
    at++;
  }
}

function arrayEnd(text: string, open: number): number {
  let at = open + 1;
  if (text.charCodeAt(at) === 0x5d) return at + 1;
  for (;;) {
    at = valueEnd(text, at);
    if (at < 0) return -1;
    const next = text.charCodeAt(at);
    if (next === 0x5d) return at + 1;
    if (next !== COMMA) return -1;
    at++;
  }
}

/**
 * Whether the key whose quoted text starts at `first` sorts strictly before
 * the one at `second` (ending at `secondEnd`), comparing UTF-16 code units
 * of the names as JSON.parse would give them.
 */
function keyBefore(text: string, first: number, second: number, secondEnd: number): boolean {
  let a = first + 1;
  let b = second + 1;
  for (; ; a++, b++) {
    const x = text.charCodeAt(a);
    const y = text.charCodeAt(b);
    // An escape stands for another code unit: compare the decoded names (rare in practice).
    if (x === BACKSLASH || y === BACKSLASH) {
      const firstEnd = stringEnd(text, first);
      return (
        (JSON.parse(text.slice(first, firstEnd)) as string) <
        (JSON.parse(text.slice(second, secondEnd)) as string)
      );
    }
    if (x !== y) return y !== QUOTE && (x === QUOTE || x < y);
    if (x === QUOTE) return false; // the same name twice
  }
}

/** Past the closing quote of the canonical string that starts at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  const length = text.length;
  let at = open + 1;
  while (at < length) {
    const c = text.charCodeAt(at);
    // Most characters first, in one test: printable, neither quote nor backslash nor surrogate.
    if (c > QUOTE && c < 0xd800 && c !== BACKSLASH) {
      at++;
      continue;
    }
    if (c === QUOTE) return at + 1;
    if (c === BACKSLASH) {
      const width = escapeWidth(text, at + 1);
      if (width === 0) return -1;
      at += width;
    } else if (c < 0x20) {
      return -1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // Only a high surrogate followed by a low one is a character.
      const low = text.charCodeAt(at + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return -1;
      at += 2;
    } else {
      at++;
    }
  }
  return -1;
}

/**
 * The length of the escape after a backslash at `at - 1` (itself included)
 * when it is the one JSON.stringify writes, else 0: the short forms for
 * `"`, `\`, backspace, form feed, newline, return and tab, and `\u00xx` in
 * lower-case hex for the other control characters, never for anything else.
 */
function escapeWidth(text: string, at: number): number {
  switch (text.charCodeAt(at)) {
    case QUOTE:
    case BACKSLASH:
    case 0x62: // b
    case 0x66: // f
    case 0x6e: // n
    case 0x72: // r
    case 0x74: // t
      return 2;
    case 0x75: {
      // u
      if (!text.startsWith("00", at + 1)) return 0;
      const high = text.charCodeAt(at + 3);
      const low = hexDigit(text.charCodeAt(at + 4));
      if (low < 0 || (high !== ZERO && high !== ZERO + 1)) return 0;
      const code = (high - ZERO) * 16 + low;
      // Backspace, tab, newline, form feed and return have short forms.
      if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return 0;
      return 6;
    }
    default:
      return 0;
  }
}

function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * Past the number that starts at `start` when it is written as JSON.stringify
 * writes it, or -1. JSON's grammar first (Number() accepts more), then
 * short integers are canonical as they stand; anything else is compared
 * with the shortest form of its value.
 */
function numberEnd(text: string, start: number): number {
  let at = start;
  if (text.charCodeAt(at) === MINUS) at++;
  const first = text.charCodeAt(at);
  if (first === ZERO) at++;
  else if (first > ZERO && first <= NINE) at = digitsEnd(text, at);
  else return -1;
  const integerEnd = at;
  if (text.charCodeAt(at) === 0x2e) {
    // .
    const fractionEnd = digitsEnd(text, at + 1);
    if (fractionEnd === at + 1) return -1;
    at = fractionEnd;
  }
  const e = text.charCodeAt(at);
  if (e === 0x65 || e === 0x45) {
    // e or E
    at++;
    const sign = text.charCodeAt(at);
    if (sign === 0x2b || sign === MINUS) at++;
    const exponentEnd = digitsEnd(text, at);
    if (exponentEnd === at) return -1;
    at = exponentEnd;
  }
  // Up to 15 digits, an integer is exact, and "-0" is the only one JSON.stringify writes otherwise.
  if (at === integerEnd && at - start <= 15 && !(first === ZERO && at - start === 2)) return at;
  const written = text.slice(start, at);
  return String(Number(written)) === written ? at : -1;
}

function digitsEnd(text: string, at: number): number {
  let end = at;
  for (let c = text.charCodeAt(end); c >= ZERO && c <= NINE; c = text.charCodeAt(++end));
  return end;
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { canonicalJsonEnd } from "./canonical-json-scan.js";

/** The definition the scan must match: the text is its own canonical form. */
function isCanonicalByDefinition(text: string): boolean {
  try {
    return text === canonicalJson(JSON.parse(text));
  } catch {
    return false;
  }
}

function scansAsCanonical(text: string): boolean {
  return canonicalJsonEnd(text, 0) === text.length;
}

function agrees(text: string): void {
  expect({ text, scan: scansAsCanonical(text) }).toEqual({
    text,
    scan: isCanonicalByDefinition(text),
  });
}

/** The canonical text of a value, when it has one (not with a lone surrogate). */
function canonicalOrUndefined(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
}

/** Characters and pieces that sit near the edge of canonical: one edit away from it or from valid JSON. */
const EDGES = [
  ...' \t\n"\\/,:{}[]0123456789-+.eEtfnuabr\u007f\u2028\u00e9\u20ac',
  "\u0000",
  "\u001f",
  "\ud800",
  "\udc00",
  "\ud83d\ude00",
  "\\u0000",
  "\\u001f",
  "\\u001F",
  "\\u0008",
  "\\u000a",
  "\\u0020",
  "\\u00e9",
  "\\ud800",
  "\\udc00",
  "\\ud83d\\ude00",
  '\\"',
  "\\\\",
  "\\/",
  "\\n",
];

const values = (unit: "grapheme" | "binary") => fc.jsonValue({ maxDepth: 4, stringUnit: unit });

describe("canonicalJsonEnd: exactly the canonical texts", () => {
  it("accepts the canonical text of any JSON value, and only where it ends", () => {
    fc.assert(
      fc.property(fc.oneof(values("grapheme"), values("binary")), (value) => {
        const text = canonicalOrUndefined(value);
        if (text === undefined) return;
        expect(scansAsCanonical(text)).toBe(true);
        expect(canonicalJsonEnd(`${text},"next":1`, 0)).toBe(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the definition on other writings of the same values (unsorted, spaced, escaped)", () => {
    fc.assert(
      fc.property(fc.oneof(values("grapheme"), values("binary")), (value) => {
        agrees(JSON.stringify(value));
        agrees(JSON.stringify(value, null, 1));
        agrees(
          JSON.stringify(value).replace(
            /[\u0080-\uffff]/,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
          ),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the definition one edit away from a canonical text", () => {
    const edited = fc
      .tuple(
        fc.oneof(values("grapheme"), values("binary")),
        fc.nat(),
        fc.constantFrom("insert", "delete", "replace", "swap"),
        fc.constantFrom(...EDGES),
      )
      .map(([value, position, edit, piece]) => {
        const text = canonicalOrUndefined(value) ?? JSON.stringify(value);
        const at = position % (text.length + 1);
        if (edit === "insert") return text.slice(0, at) + piece + text.slice(at);
        if (edit === "delete") return text.slice(0, at) + text.slice(at + 1);
        if (edit === "replace") return text.slice(0, at) + piece + text.slice(at + 1);
        return (
          text.slice(0, at) +
          text.slice(at + 1, at + 2) +
          text.slice(at, at + 1) +
          text.slice(at + 2)
        );
      });
    fc.assert(fc.property(edited, agrees), { numRuns: 5000 });
  });

  it("agrees with the definition on any sequence of JSON-ish pieces", () => {
    const pieces = fc.array(
      fc.constantFrom(
        ...EDGES,
        '"a"',
        '"b"',
        '"__proto__"',
        '"10"',
        '"9"',
        "true",
        "false",
        "null",
        "1e21",
        "-0",
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(pieces, (parts) => agrees(parts.join(""))),
      { numRuns: 5000 },
    );
  });

  it("takes members in strictly increasing UTF-16 order, with names objects order their own way", () => {
    const names = [
      "a",
      "b",
      "10",
      "9",
      "__proto__",
      "\u20ac",
      "\r",
      "\ud83d\ude00",
      "\ufb01",
      "",
      "a\u0000",
      "\ud800",
    ];
    const members = fc.array(fc.tuple(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 1 })), {
      maxLength: 6,
    });
    fc.assert(
      fc.property(members, fc.boolean(), (pairs, sort) => {
        const ordered = sort ? [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : pairs;
        const text = `{${ordered.map(([name, value]) => `${JSON.stringify(name)}:${canonicalOrUndefined(value) ?? "0"}`).join(",")}}`;
        agrees(text);
      }),
      { numRuns: 3000 },
    );
    expect(scansAsCanonical('{"10":1,"9":2,"__proto__":{"a":1},"b":[]}')).toBe(true);
    expect(scansAsCanonical('{"9":1,"10":2}')).toBe(false);
    expect(scansAsCanonical('{"a":1,"a":1}')).toBe(false);
    expect(scansAsCanonical('{"\\r":1,"1":2}')).toBe(true);
    expect(scansAsCanonical('{"1":2,"\\r":1}')).toBe(false);
  });

  it("takes numbers only in ECMAScript's shortest form", () => {
    const written = fc
      .double()
      .chain((n) =>
        fc.constantFrom(
          String(n),
          n.toExponential(),
          n.toPrecision(17),
          n.toFixed(3),
          String(n).toUpperCase(),
          `${n}0`,
          `-${n}`,
        ),
      );
    fc.assert(fc.property(written, agrees), { numRuns: 3000 });
    for (const text of [
      "1e21",
      "1e+21",
      "1E21",
      "1E+21",
      "-0",
      "0",
      "-0.0",
      "5e-7",
      "5E-7",
      "0.0000005",
      "1e-7",
      "1.0",
      "1.50",
      "01",
      "-01",
      "00",
      "1e400",
      "-1e400",
      "1e-400",
      "9007199254740993",
      "9007199254740992",
      "123456789012345",
      "1234567890123456789",
      "123456789012345678901",
      "4.5e-320",
      "0.1",
      "333333333.3333333",
      "100",
      "1e2",
      "-",
      "1.",
      ".5",
      "1e",
      "1e+",
      "+1",
      "-5",
      "-5e-7",
      "1e-0",
      "1e01",
    ])
      agrees(text);
  });

  it("takes string escapes only as JSON.stringify writes them, and no lone surrogate", () => {
    for (let code = 0; code < 0x80; code++) {
      const hex = code.toString(16).padStart(4, "0");
      agrees(`"\\u${hex}"`);
      agrees(`"\\u${hex.toUpperCase()}"`);
      agrees(`"${String.fromCharCode(code)}"`);
      agrees(`"\\${String.fromCharCode(code)}"`);
    }
    for (const text of [
      '"\ud800"',
      '"\udc00"',
      '"\ud83d\ude00"',
      '"\ude00\ud83d"',
      '"\\ud83d\\ude00"',
      '"\\ud800"',
      '"a\ud800"',
      '"\ud800',
      '"',
      '"abc',
      '"\u2028"',
      '"\\u2028"',
    ])
      agrees(text);
  });

  it("gives up on nesting deeper than the stack instead of throwing", () => {
    expect(canonicalJsonEnd("[".repeat(200_000) + "]".repeat(200_000), 0)).toBe(-1);
  });
});

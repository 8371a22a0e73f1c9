import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson } from "./canonical-json.js";

describe("canonicalJson (RFC 8785)", () => {
  it("produces byte for byte what the reference library produces, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("stays exact through runs of objects of one shape and changes of shape", () => {
    // The sorted order of the last shape is reused: a run of movements, then
    // another shape, then the first again, with names that need the slow path.
    const names = ["b", "a", "10", "9", "__proto__", "\u20ac", "z"];
    const shaped = fc
      .uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 5 })
      .chain((keys) =>
        fc
          .array(fc.tuple(...keys.map(() => fc.jsonValue({ maxDepth: 1 }))), {
            minLength: 1,
            maxLength: 4,
          })
          .map((rows) => rows.map((values) => ({ keys, values }))),
      );
    fc.assert(
      fc.property(fc.array(shaped, { minLength: 1, maxLength: 4 }), (runs) => {
        for (const { keys, values } of runs.flat()) {
          const object = JSON.parse(
            `{${keys.map((key, i) => `${JSON.stringify(key)}:${JSON.stringify(values[i])}`).join(",")}}`,
          ) as unknown;
          expect(canonicalJson(object)).toBe(canonicalize(object));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("sorts members by UTF-16 code units, at every depth", () => {
    const value = {
      "\u20ac": 1,
      "\r": 2,
      "1": 3,
      "\ud83d\ude00": 4,
      b: { z: [], a: { d: 1, c: 2 } },
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":2,"1":3,"b":{"a":{"c":2,"d":1},"z":[]},"€":1,"😀":4}',
    );
  });

  it("keeps canonical order for names objects order numerically, and a member named __proto__", () => {
    expect(canonicalJson({ 9: "a", 10: "b", x: 1 })).toBe('{"10":"b","9":"a","x":1}');
    const parsed = JSON.parse('{"z":1,"__proto__":{"b":1,"a":2}}');
    expect(canonicalJson(parsed)).toBe(canonicalize(parsed));
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"a":2,"b":1},"z":1}');
  });

  it("writes numbers in ECMAScript's shortest form, as RFC 8785 section 3.2.2.3 asks", () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1, 333333333.3333333, 1.0, 4.5e-320])).toBe(
      "[1e+21,1e-7,0,0.1,333333333.3333333,1,4.5e-320]",
    );
  });

  it("refuses what is not JSON data instead of writing something unverifiable", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(CanonicalJsonError);
    expect(() => canonicalJson("\ud800")).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(CanonicalJsonError);
    // Holes are not JSON data either, even in members already in canonical order.
    // biome-ignore lint/suspicious/noSparseArray: the point of the case
    expect(() => canonicalJson({ a: [1, , 3] })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(10n)).toThrow(CanonicalJsonError);
  });

  it("drops members whose value is undefined, as JSON.stringify does", () => {
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
  });
});

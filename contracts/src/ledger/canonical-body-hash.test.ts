import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CanonicalData, canonicalBodyHash } from "./canonical-line.js";
import { sealEntry } from "./entry.js";

const fields = {
  chain: "node-dock-1",
  prev: "a".repeat(64),
  seq: 7,
  ts: "2026-11-22T08:00:00.000Z",
  type: "movement",
};

describe("canonicalBodyHash hands back the canonical data JSON it hashed", () => {
  it("gives the entry's hash, and the very JSON the entry's data stringifies to", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const { entry } = sealEntry({ ...fields, data: value });
        // As a node's batch arrives: parsed from JSON.
        const data = JSON.parse(JSON.stringify(entry.data)) as unknown;
        const out: CanonicalData = { data: undefined, json: undefined };
        const hash = canonicalBodyHash(fields, data, out);
        if (hash === undefined) return; // not in canonical order: the slow path's business
        expect(hash).toBe(entry.hash);
        expect(out.data).toBe(data);
        expect(out.json).toBe(JSON.stringify(data));
      }),
    );
  });

  it("leaves the out record alone when it does not hash", () => {
    const out: CanonicalData = { data: "before", json: "before" };
    expect(canonicalBodyHash(fields, { b: 1, a: 2 }, out)).toBeUndefined();
    expect(out).toEqual({ data: "before", json: "before" });
  });
});

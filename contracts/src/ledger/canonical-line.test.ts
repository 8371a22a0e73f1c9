import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../hash.js";
import { readCanonicalLine } from "./canonical-line.js";
import { sealEntry } from "./entry.js";
import { generateIdentity } from "./keys.js";
import { buildChain, toLines } from "./testing/chain.js";
import { verify } from "./verify.js";

const HEAD = '{"chain":"node-dock-1","data":';
const PREV = "a".repeat(64);
const TS = "2026-11-22T08:00:00.000Z";

function sealed(data: unknown) {
  const { entry, line } = sealEntry({
    seq: 7,
    ts: TS,
    chain: "node-dock-1",
    type: "movement",
    data,
    prev: PREV,
  });
  return { entry, line: line.slice(0, -1) };
}

/** Sealing fails on data that has no canonical form (a lone surrogate). */
function sealedOrUndefined(data: unknown) {
  try {
    return sealed(data);
  } catch {
    return undefined;
  }
}

describe("readCanonicalLine", () => {
  it("hashes exactly what the entry's hash covers, for any data", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: "binary" }), (data) => {
        const stored = sealedOrUndefined(data);
        if (!stored) return;
        expect(readCanonicalLine(stored.line, HEAD, PREV, 7)).toEqual({
          ts: TS,
          type: "movement",
          hash: stored.entry.hash,
          bodyHash: stored.entry.hash,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("reads nothing from a line that is not the canonical line of the next entry", () => {
    const { line } = sealed({ b: 1, a: [1, "x"] });
    expect(readCanonicalLine(line, HEAD, PREV, 8)).toBeUndefined();
    expect(readCanonicalLine(line, HEAD, "b".repeat(64), 7)).toBeUndefined();
    expect(readCanonicalLine(line, '{"chain":"node-dock-2","data":', PREV, 7)).toBeUndefined();
    expect(readCanonicalLine(line.replace('"a":', '"a": '), HEAD, PREV, 7)).toBeUndefined();
    expect(readCanonicalLine(`${line} `, HEAD, PREV, 7)).toBeUndefined();
    expect(readCanonicalLine(line.replace('"seq":7', '"seq":7.0'), HEAD, PREV, 7)).toBeUndefined();
  });
});

describe("verify, stored lines not in canonical form", () => {
  const owner = generateIdentity();
  const chain = buildChain("node-dock-1", owner, 6, 10);

  /**
   * Entry seq 3 rewritten with its data members out of order, its hash set to
   * the SHA-256 of its own body bytes, and the next entry relinked to it: a
   * verifier that hashed the line's bytes without checking that they are
   * canonical would take it.
   */
  function forgedLines(): string[] {
    const lines = toLines(chain).map((line) => line.replace(/\n$/, ""));
    const original = lines[2] as string;
    const entry = JSON.parse(original) as { data: Record<string, unknown>; hash: string };
    const reversed = JSON.stringify(Object.fromEntries(Object.entries(entry.data).reverse()));
    const rewritten = original.replace(JSON.stringify(entry.data), reversed);
    const body = rewritten.replace(`"hash":"${entry.hash}",`, "");
    const forgedHash = sha256Hex(body);
    lines[2] = rewritten.replace(entry.hash, forgedHash);
    const next = lines[3] as string;
    const nextEntry = JSON.parse(next) as { prev: string; hash: string };
    const relinked = next.replace(`"prev":"${nextEntry.prev}"`, `"prev":"${forgedHash}"`);
    const nextBody = relinked.replace(`"hash":"${nextEntry.hash}",`, "");
    lines[3] = relinked.replace(nextEntry.hash, sha256Hex(nextBody));
    return lines;
  }

  it("refuses a line whose own bytes hash to its hash when they are not the canonical form", () => {
    const result = verify(forgedLines(), { publicKey: owner.publicKey });
    expect(result).toMatchObject({ ok: false, seq: 3, reason: "bad hash" });
  });
});

import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { GENESIS_PREV } from "../hash.js";
import { entryBodyJson, entryHash, entryLine, sealEntry } from "./entry.js";

const body = {
  seq: 1,
  ts: "2026-11-22T10:00:00.000Z",
  chain: "node-dock-1",
  type: "movement",
  data: {
    epc: "3034257BF7194E4000001A85",
    kind: "receive",
    to: "dock-1",
    from: null,
    qty: 1,
    note: "café",
  },
  prev: GENESIS_PREV,
};

describe("ledger entry hashing", () => {
  it("matches the test vector published in contracts/README.md (computed with Python's hashlib)", () => {
    expect(entryHash(body)).toBe(
      "8870f66cb02173a3186c79de782585a744baf805ea23f981461574862cd3b212",
    );
  });

  it("hashes the RFC 8785 form of every field but the hash", () => {
    const expected = createHash("sha256")
      .update(canonicalize(body) as string, "utf8")
      .digest("hex");
    expect(entryBodyJson(body)).toBe(canonicalize(body));
    expect(entryHash(body)).toBe(expected);
  });

  it("stores an entry as the canonical JSON of the whole entry, one line", () => {
    const { entry, line } = sealEntry(body);
    expect(line).toBe(`${canonicalize(entry)}\n`);
    expect(entryLine(entry)).toBe(line);
    expect(JSON.parse(line)).toEqual(entry);
  });

  it("seals fields that need escaping the slow, exact way", () => {
    const odd = { ...body, ts: "2026-11-22T10:00:00Z", data: { 'quote"d': "line\nbreak" } };
    const { entry, line } = sealEntry(odd);
    expect(line).toBe(`${canonicalize(entry)}\n`);
    expect(entry.hash).toBe(entryHash(odd));
  });

  it("changes the hash when any covered field changes", () => {
    const base = entryHash(body);
    expect(entryHash({ ...body, seq: 2 })).not.toBe(base);
    expect(entryHash({ ...body, chain: "node-dock-2" })).not.toBe(base);
    expect(entryHash({ ...body, data: { ...body.data, qty: 2 } })).not.toBe(base);
    expect(entryHash({ ...body, prev: "f".repeat(64) })).not.toBe(base);
  });
});

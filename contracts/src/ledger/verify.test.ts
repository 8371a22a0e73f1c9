import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signCheckpoint } from "./checkpoint.js";
import { generateIdentity } from "./keys.js";
import type { LedgerEntry } from "./schema.js";
import { buildChain, rehash, relink, toLines } from "./testing/chain.js";
import { type VerifyOptions, type VerifyResult, verify } from "./verify.js";

const owner = generateIdentity();
const stranger = generateIdentity();
const clean = buildChain("node-dock-1", owner, 60, 10); // 66 entries: checkpoints at 11, 22, … 66
const copy = () => structuredClone(clean);

/** Verifies both ways entries travel: as stored lines (fast path) and as parsed objects. */
function both(entries: LedgerEntry[], options: VerifyOptions = {}): VerifyResult {
  const fromLines = verify(toLines(entries), options);
  const fromObjects = verify(structuredClone(entries), options);
  expect(fromObjects).toEqual(fromLines);
  return fromLines;
}

function brokenAt(result: VerifyResult) {
  return result.ok ? { ok: true } : { seq: result.seq, reason: result.reason };
}

describe("verify", () => {
  it("accepts an untouched chain and reports its count and head", () => {
    const result = both(copy(), { publicKey: owner.publicKey });
    expect(result).toEqual({ ok: true, count: 66, head: { seq: 66, hash: clean[65]?.hash } });
  });

  it("accepts an empty ledger with the genesis head", () => {
    expect(verify([])).toEqual({ ok: true, count: 0, head: { seq: 0, hash: "0".repeat(64) } });
  });

  describe("the tamper suite: each edit is named at the right seq with the right reason", () => {
    it("one byte of data flipped", () => {
      const lines = toLines(clean);
      const line = lines[29] as string;
      const at = line.indexOf('"shelf-a3"') + 3; // a byte inside a data string
      lines[29] =
        line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ 1) + line.slice(at + 1);
      expect(brokenAt(verify(lines))).toEqual({ seq: 30, reason: "bad hash" });
    });

    it("an amount changed and that entry's own hash recomputed", () => {
      const entries = copy();
      const sale = entries[35] as LedgerEntry;
      expect(sale).toMatchObject({ seq: 36, type: "sale" });
      (sale.data as { amount: { amount: number } }).amount.amount = 1;
      rehash(sale);
      expect(brokenAt(both(entries))).toEqual({ seq: 37, reason: "broken link" });
    });

    it("an entry deleted", () => {
      const entries = copy();
      entries.splice(39, 1); // seq 40
      expect(brokenAt(both(entries))).toEqual({ seq: 40, reason: "gap" });
    });

    it("two entries swapped", () => {
      const entries = copy();
      entries.splice(44, 2, entries[45] as LedgerEntry, entries[44] as LedgerEntry); // seq 45 and 46
      expect(brokenAt(both(entries))).toEqual({ seq: 45, reason: "out of order" });
    });

    it("an entry duplicated", () => {
      const entries = copy();
      entries.splice(50, 0, structuredClone(entries[49] as LedgerEntry)); // seq 50 twice
      expect(brokenAt(both(entries))).toEqual({ seq: 50, reason: "duplicate" });
    });

    it("the tail truncated after a checkpoint the verifier knows", () => {
      const known = { seq: 44, hash: (clean[43] as LedgerEntry).hash };
      expect(both(copy(), { known }).ok).toBe(true);
      expect(brokenAt(both(copy().slice(0, 40), { known }))).toEqual({
        seq: 41,
        reason: "truncated",
      });
    });

    it("entries of another chain spliced in", () => {
      const other = buildChain("node-dock-2", owner, 60, 10);
      const entries = [...copy().slice(0, 20), ...other.slice(20, 25), ...copy().slice(25)];
      expect(brokenAt(both(entries))).toEqual({ seq: 21, reason: "broken link" });
    });

    it("a checkpoint signed by a foreign key, every hash after it recomputed", () => {
      const entries = copy();
      const checkpoint = entries[32] as LedgerEntry; // seq 33
      const before = entries[31] as LedgerEntry;
      checkpoint.data = signCheckpoint(stranger, {
        chain: "node-dock-1",
        seq: before.seq,
        hash: before.hash,
      });
      relink(entries, 32);
      expect(brokenAt(both(entries, { publicKey: owner.publicKey }))).toEqual({
        seq: 33,
        reason: "signed by another key",
      });
      // Without the key given, the first checkpoint's signer is the chain's key.
      expect(brokenAt(both(entries))).toEqual({ seq: 33, reason: "signed by another key" });
    });

    it("a checkpoint's signature altered, every hash after it recomputed", () => {
      const entries = copy();
      const data = (entries[21] as LedgerEntry).data as { sig: string };
      data.sig = (data.sig[0] === "0" ? "1" : "0") + data.sig.slice(1);
      relink(entries, 21);
      expect(brokenAt(both(entries, { publicKey: owner.publicKey }))).toEqual({
        seq: 22,
        reason: "bad signature",
      });
    });

    it("history rewritten and every hash recomputed: the next checkpoint gives it away", () => {
      const entries = copy();
      (entries[14] as LedgerEntry).data = { epc: "X", kind: "adjust" };
      relink(entries, 14);
      expect(brokenAt(both(entries, { publicKey: owner.publicKey }))).toEqual({
        seq: 22,
        reason: "bad signature",
      });
    });

    it("a line that is not an entry", () => {
      const lines = toLines(clean);
      lines[9] = "{not json";
      expect(brokenAt(verify(lines))).toEqual({ seq: 10, reason: "malformed" });
      lines[9] = JSON.stringify({ ...clean[9], extra: true });
      expect(brokenAt(verify(lines))).toEqual({ seq: 10, reason: "malformed" });
    });
  });

  describe("entries as parsed objects (a node's batch), the fast way and the full way agree", () => {
    it("an object with data changed is a bad hash at its seq, data in canonical order or not", () => {
      const entries = copy();
      const sale = entries[35] as LedgerEntry & { data: { amount: { amount: number } } };
      sale.data.amount.amount = 1; // a sale's data is in canonical order: the fast way
      expect(brokenAt(verify(entries, { publicKey: owner.publicKey }))).toEqual({
        seq: 36,
        reason: "bad hash",
      });
      const movement = copy()[29] as LedgerEntry & { data: Record<string, unknown> };
      movement.data.to = "shelf-zz"; // a movement's is not: the full way
      const edited = copy();
      edited[29] = movement;
      expect(brokenAt(verify(edited, { publicKey: owner.publicKey }))).toEqual({
        seq: 30,
        reason: "bad hash",
      });
    });

    it("an object with a member too many is malformed, even with every hash right", () => {
      const entries = copy();
      entries[9] = { ...(entries[9] as LedgerEntry), extra: true } as LedgerEntry;
      expect(brokenAt(verify(entries))).toEqual({ seq: 10, reason: "malformed" });
    });

    it("an object whose data members are not in canonical order is hashed on its canonical form", () => {
      const entries = copy();
      const entry = entries[4] as LedgerEntry & { data: Record<string, unknown> };
      entry.data = Object.fromEntries(Object.entries(entry.data).reverse());
      expect(verify(entries, { publicKey: owner.publicKey }).ok).toBe(true);
    });

    it("data that is not JSON (a Date) is never taken for its JSON text", () => {
      const entries = copy().slice(0, 5);
      const entry = entries[4] as LedgerEntry & { data: Record<string, unknown> };
      const withDate = { ...entry, data: { at: new Date(0), epc: entry.data.epc } };
      // The hash of its JSON text, where the Date is a string: taking the text for the data would pass it.
      withDate.hash = rehash({ ...withDate, data: JSON.parse(JSON.stringify(withDate.data)) }).hash;
      entries[4] = withDate;
      expect(brokenAt(verify(entries))).toEqual({ seq: 5, reason: "bad hash" });
    });
  });

  it("accepts a valid entry stored in a non-canonical form, as the format defines the hash on the canonical form", () => {
    const lines = toLines(clean);
    lines[4] = JSON.stringify(JSON.parse(lines[4] as string), null, 1).replaceAll("\n", "");
    expect(verify(lines, { publicKey: owner.publicKey }).ok).toBe(true);
  });

  it("names the same seq and reason from lines and from objects, wherever an entry is edited", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65 }),
        fc.integer({ min: 0, max: 3 }),
        (index, edit) => {
          const entries = copy();
          const entry = entries[index] as LedgerEntry;
          if (edit === 0) entry.ts = "2027-01-01T00:00:00.000Z";
          if (edit === 1) entry.seq += 1;
          if (edit === 2) entry.prev = "a".repeat(64);
          // Deleting the very last entry leaves a valid shorter chain: only a known checkpoint catches that.
          if (edit === 3) entries.splice(Math.min(index, 64), 1);
          const result = both(entries, { publicKey: owner.publicKey });
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

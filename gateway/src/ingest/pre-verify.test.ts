import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CHECKPOINT_TYPE,
  generateIdentity,
  type LedgerEntry,
  signCheckpoint,
} from "@comptoir/contracts";
import { buildChain, rehash, relink, signedBatch } from "@comptoir/contracts/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { GroupCommit } from "./group-commit.js";
import { Ingest } from "./ingest.js";
import { PreVerify } from "./pre-verify.js";
import { verifySegment } from "./segment-verdict.js";

const dock = generateIdentity();
const shelf = generateIdentity();
const stranger = generateIdentity();
const dockChain = buildChain("dock-1", dock, 60);
const shelfChain = buildChain("shelf-1", shelf, 60);
const dockBatch = (from: number, to: number) =>
  signedBatch(dock, "dock-1", dockChain.slice(from, to));

let stores: Store[] = [];
async function newStore(): Promise<Store> {
  const store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-preverify-")), "gw.db"));
  store.enrollNode("dock-1", dock.publicKeyHex);
  store.enrollNode("shelf-1", shelf.publicKeyHex);
  stores.push(store);
  return store;
}
beforeEach(() => {
  stores = [];
});
afterEach(() => {
  for (const store of stores) store.close();
});

const copy = (entries: readonly LedgerEntry[]): LedgerEntry[] =>
  entries.map((entry) => structuredClone(entry));
const rows = (store: Store) =>
  store.db
    .prepare("SELECT chain, seq, ts, type, data, prev, hash FROM entries ORDER BY 1, 2")
    .all();

describe("a batch judged on its own terms (verifySegment)", () => {
  it("takes a signed segment from the middle of a chain, with where it starts and ends", () => {
    const verdict = verifySegment("dock-1", dockBatch(10, 25), dock.publicKeyHex);
    const first = dockChain[10] as LedgerEntry;
    const last = dockChain[24] as LedgerEntry;
    expect(verdict).toEqual({
      ok: true,
      key: dock.publicKeyHex,
      first: first.seq,
      last: last.seq,
      prev: first.prev,
      hash: last.hash,
      dataJson: dockChain.slice(10, 25).map((entry) => JSON.stringify(entry.data)),
    });
  });

  it("refuses what ingest would refuse: another key, another node, an edited entry, a checkpoint signed by another key", () => {
    const refused = (node: string, payload: string, key = dock.publicKeyHex) =>
      verifySegment(node, payload, key).ok;
    expect(refused("dock-1", signedBatch(stranger, "dock-1", dockChain.slice(0, 10)))).toBe(false);
    expect(refused("shelf-1", dockBatch(0, 10), shelf.publicKeyHex)).toBe(false);
    expect(refused("dock-1", "not json")).toBe(false);

    // An entry changed in place: its content no longer gives its hash.
    const edited = copy(dockChain.slice(0, 10));
    (edited[3] as { data: { to: string } }).data.to = "elsewhere";
    expect(refused("dock-1", signedBatch(dock, "dock-1", edited))).toBe(false);

    // Changed and every hash after it recomputed, then signed by the node: a segment
    // consistent on its own — what only the stored head can tell apart — is taken.
    const covered = copy(dockChain.slice(0, 10));
    (covered[3] as { data: { to: string } }).data.to = "elsewhere";
    relink(covered, 3);
    expect(refused("dock-1", signedBatch(dock, "dock-1", covered))).toBe(true);

    // A checkpoint by a key that is not the node's.
    const forged = copy(dockChain.slice(0, 11));
    const checkpoint = forged[10] as LedgerEntry;
    expect(checkpoint.type).toBe(CHECKPOINT_TYPE);
    checkpoint.data = signCheckpoint(stranger, {
      chain: "dock-1",
      seq: (forged[9] as LedgerEntry).seq,
      hash: (forged[9] as LedgerEntry).hash,
    });
    rehash(checkpoint);
    expect(refused("dock-1", signedBatch(dock, "dock-1", forged))).toBe(false);
  });
});

describe("ingest with a verdict", () => {
  it("stores exactly what ingest stores by verifying in-thread", async () => {
    const judged = await newStore();
    const plain = await newStore();
    const withVerdict = new Ingest(judged);
    const without = new Ingest(plain);
    for (let i = 0; i < dockChain.length; i += 13) {
      const payload = dockBatch(i, i + 13);
      const verdict = verifySegment("dock-1", payload, dock.publicKeyHex);
      expect(withVerdict.handleBatch("dock-1", payload, verdict)).toEqual(
        without.handleBatch("dock-1", payload),
      );
    }
    expect(rows(judged)).toEqual(rows(plain));
    expect(judged.stock()).toEqual(plain.stock());
    expect(judged.node("dock-1")?.head).toEqual(plain.node("dock-1")?.head);
  });

  it("is not taken when the segment does not start at the stored head: a gap, a redelivery, a rewritten history, a key enrolled since", async () => {
    const store = await newStore();
    const ingest = new Ingest(store);
    const judged = (payload: string, key = dock.publicKeyHex) =>
      ingest.handleBatch("dock-1", payload, verifySegment("dock-1", payload, key));

    expect(judged(dockBatch(0, 12))).toMatchObject({ kind: "ack", seq: 12, stored: 12 });
    // Entries 13-20 never arrived.
    expect(judged(dockBatch(20, 30))).toMatchObject({ kind: "resend", from: 13 });
    // Sent again: already stored, nothing stored twice.
    expect(judged(dockBatch(0, 12))).toEqual({ kind: "ack", seq: 12, stored: 0 });

    // A consistent, signed segment that does not link to what is stored: the node
    // rewrote its history before seq 13, and ingest's own checks say so.
    const rewritten = copy(dockChain.slice(12, 20));
    (rewritten[0] as LedgerEntry).prev = "ab".repeat(32);
    relink(rewritten, 0);
    const payload = signedBatch(dock, "dock-1", rewritten);
    expect(verifySegment("dock-1", payload, dock.publicKeyHex).ok).toBe(true);
    expect(judged(payload)).toMatchObject({ kind: "broken", seq: 13, reason: "broken link" });
    expect(store.node("dock-1")?.state).toBe("broken");
  });

  it("is not taken when it was made with a key the node is no longer enrolled with", async () => {
    const store = await newStore();
    const ingest = new Ingest(store);
    const payload = signedBatch(stranger, "dock-1", buildChain("dock-1", stranger, 5));
    const verdict = verifySegment("dock-1", payload, stranger.publicKeyHex);
    expect(verdict.ok).toBe(true);
    expect(ingest.handleBatch("dock-1", payload, verdict)).toMatchObject({
      kind: "ignored",
      reason: expect.stringContaining("bad signature"),
    });
    expect(rows(store)).toEqual([]);
  });
});

describe("PreVerify: verification on the other core", () => {
  it("verifies in-thread until its worker is ready, then in the worker, and stores every node's batches in their order", async () => {
    const store = await newStore();
    const pre = new PreVerify(
      new GroupCommit(new Ingest(store), store.db),
      (node) => store.node(node)?.publicKey,
      { startBytes: 0 },
    );
    try {
      // The first batch starts the worker and is verified here meanwhile.
      expect(await pre.handleBatch("dock-1", dockBatch(0, 6))).toMatchObject({ kind: "ack" });
      expect(await pre.ready()).toBe(true);
      const shelfBatches = [
        [0, 20],
        [20, 40],
        [40, 66],
      ].map(([from, to]) => signedBatch(shelf, "shelf-1", shelfChain.slice(from, to)));
      const dockBatches = [
        [6, 30],
        [30, 50],
        [50, 66],
      ].map(([from, to]) => dockBatch(from as number, to as number));
      // Handed over all at once: each node's batches must still be stored in their order.
      const outcomes = await Promise.all([
        ...shelfBatches.map((payload) => pre.handleBatch("shelf-1", payload)),
        ...dockBatches.map((payload) => pre.handleBatch("dock-1", payload)),
      ]);
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(6).fill("ack"));
      expect(store.node("dock-1")?.head.seq).toBe(dockChain.length);
      expect(store.node("shelf-1")?.head.seq).toBe(shelfChain.length);

      const reference = await newStore();
      const plain = new Ingest(reference);
      plain.handleBatch("dock-1", signedBatch(dock, "dock-1", dockChain));
      plain.handleBatch("shelf-1", signedBatch(shelf, "shelf-1", shelfChain));
      const data = (s: Store) =>
        s.db.prepare("SELECT chain, seq, data, hash FROM entries ORDER BY 1, 2").all();
      expect(data(store)).toEqual(data(reference));

      // Through the worker, a forged batch is refused as ingest refuses it in-thread.
      const forged = signedBatch(stranger, "dock-1", dockChain.slice(0, 5));
      expect(await pre.handleBatch("dock-1", forged)).toEqual(
        new Ingest(reference).handleBatch("dock-1", forged),
      );
    } finally {
      await pre.close();
    }
    // Gone: batches are verified in-thread again.
    expect(await pre.handleBatch("dock-1", dockBatch(0, 6))).toMatchObject({
      kind: "ack",
      stored: 0,
    });
  });
});

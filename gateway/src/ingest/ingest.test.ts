import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  entryLine,
  generateIdentity,
  type LedgerEntry,
  ManualClock,
  type MovementData,
  StockProjection,
  sealEntry,
  signBatch,
  signCheckpoint,
} from "@comptoir/contracts";
import { buildChain, chainSealer, rehash, relink, signedBatch } from "@comptoir/contracts/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { Ingest } from "./ingest.js";

const dock = generateIdentity();
const shelf = generateIdentity();
let store: Store;
let ingest: Ingest;

beforeEach(async () => {
  store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-ingest-")), "gateway.db"));
  store.enrollNode("dock-1", dock.publicKeyHex);
  store.enrollNode("shelf-1", shelf.publicKeyHex);
  ingest = new Ingest(store);
});

/** Signed by the node's own key, as the node signs what it publishes. */
const batch = (node: string, entries: readonly LedgerEntry[]) =>
  signedBatch(node === "shelf-1" ? shelf : dock, node, entries);

/** A chain of movements: receive every item at the dock, then put half of them away. */
function movementChain(chain: string, identity = dock, items = 20): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer(chain);
  const push = (type: string, data: unknown) =>
    entries.push(sealer.seal(type, data, "2026-11-22T10:00:00.000Z"));
  for (let i = 0; i < items; i++) {
    const epc = `3034257BF7194E40000${chain === "dock-1" ? "A" : "B"}${i.toString(16).toUpperCase().padStart(4, "0")}`;
    const move: MovementData = {
      epc,
      sku: `SKU-${i % 4}`,
      kind: "receive",
      from: null,
      to: "dock",
      reader: "door",
      antennas: [1, 2],
      reads: 4,
      at: "2026-11-22T10:00:00.000Z",
    };
    push("movement", move);
    if (i % 2)
      push("movement", { ...move, kind: "putaway", from: "dock", to: "shelf-a", antennas: [1] });
    if (entries.length % 10 === 0)
      push("checkpoint", signCheckpoint(identity, { chain, ...sealer.head() }));
  }
  return entries;
}

describe("verified ingest", () => {
  it("stores a node's chain in batches, acknowledges each, and projects the same stock as the node", () => {
    const chain = movementChain("dock-1");
    const outcomes = [];
    for (let i = 0; i < chain.length; i += 7)
      outcomes.push(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(i, i + 7))));
    expect(outcomes.at(-1)).toEqual({ kind: "ack", seq: chain.length, stored: expect.any(Number) });
    const nodeSide = new StockProjection();
    for (const entry of chain) nodeSide.apply(entry);
    expect(store.stock()).toEqual(nodeSide.rows());
    expect(store.node("dock-1")?.head).toEqual({ seq: chain.length, hash: chain.at(-1)?.hash });
  });

  it("stores each entry's data as its own JSON, whether the verifier's fast path made it or not", () => {
    const sealer = chainSealer("dock-1");
    const chain: LedgerEntry[] = [];
    for (let i = 0; i < 12; i++) {
      // Every third entry's members out of canonical order: the verifier's slow path.
      const data =
        i % 3 === 2
          ? { sku: `SKU-${i}`, epc: `EPC-${i}`, zone: "dock" }
          : { epc: `EPC-${i}`, sku: `SKU-${i}`, zone: "dock" };
      chain.push(sealer.seal("note", data, "2026-11-22T10:00:00.000Z"));
      if (i % 5 === 4)
        chain.push(
          sealer.seal(
            "checkpoint",
            signCheckpoint(dock, { chain: "dock-1", ...sealer.head() }),
            "2026-11-22T10:00:00.000Z",
          ),
        );
    }
    expect(ingest.handleBatch("dock-1", batch("dock-1", chain))).toMatchObject({ kind: "ack" });
    const stored = store.db
      .prepare("SELECT data FROM entries WHERE chain = 'dock-1' ORDER BY seq")
      .all() as { data: string }[];
    expect(stored.map((row) => row.data)).toEqual(chain.map((entry) => JSON.stringify(entry.data)));
  });

  it("changes nothing when a batch is delivered again", () => {
    const chain = movementChain("dock-1");
    ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
    const stock = store.stock();
    expect(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)))).toEqual({
      kind: "ack",
      seq: 10,
      stored: 0,
    });
    expect(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(5, 12)))).toEqual({
      kind: "ack",
      seq: 12,
      stored: 2,
    });
    expect(store.movements({ limit: 1000 }).filter((m) => m.seq <= 10)).toHaveLength(
      chain.slice(0, 10).filter((e) => e.type === "movement").length,
    );
    expect(store.stock().length).toBeGreaterThanOrEqual(stock.length);
  });

  it("asks for a resend when a batch was lost, and stores nothing past the hole", () => {
    const chain = movementChain("dock-1");
    ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
    expect(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(15, 20)))).toMatchObject({
      kind: "resend",
      from: 11,
    });
    expect(store.node("dock-1")?.head.seq).toBe(10);
    expect(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(10, 20)))).toMatchObject({
      kind: "ack",
      seq: 20,
    });
  });

  it("ignores an unenrolled node and stores nothing it sends", () => {
    const stranger = buildChain("ghost-1", generateIdentity(), 5);
    expect(ingest.handleBatch("ghost-1", batch("ghost-1", stranger))).toMatchObject({
      kind: "ignored",
    });
    expect([...store.entries("ghost-1")]).toEqual([]);
  });

  it("ignores what is not a batch, or names another node", () => {
    expect(ingest.handleBatch("dock-1", "{not json")).toMatchObject({
      kind: "ignored",
      reason: "not JSON",
    });
    expect(
      ingest.handleBatch("dock-1", JSON.stringify({ node: "dock-1", entries: [] })),
    ).toMatchObject({ kind: "ignored" });
    expect(
      ingest.handleBatch("dock-1", batch("shelf-1", movementChain("shelf-1", shelf))),
    ).toMatchObject({ kind: "ignored" });
    expect(store.node("dock-1")?.head.seq).toBe(0);
  });

  describe("batches as a node publishes them: its canonical stored lines, as they are", () => {
    const lines = (entries: readonly LedgerEntry[]) => entries.map((e) => entryLine(e).trimEnd());
    const canonical = (node: string, entryLines: readonly string[]) => {
      const first = JSON.parse(entryLines[0] as string) as LedgerEntry;
      const last = JSON.parse(entryLines.at(-1) as string) as LedgerEntry;
      const sig = signBatch(dock, { node, first: first.seq, last: last.seq, hash: last.hash });
      return `{"entries":[${entryLines.join(",")}],"node":${JSON.stringify(node)},"sig":"${sig}"}`;
    };

    it("stores them and projects the same stock as from the same entries sent any other way", () => {
      const chain = movementChain("dock-1");
      for (let i = 0; i < chain.length; i += 7)
        ingest.handleBatch("dock-1", canonical("dock-1", lines(chain.slice(i, i + 7))));
      const nodeSide = new StockProjection();
      for (const entry of chain) nodeSide.apply(entry);
      expect(store.stock()).toEqual(nodeSide.rows());
      expect([...store.entries("dock-1")]).toEqual(chain);
    });

    it("finds an edited entry at its seq, stores nothing of the batch and says the node's copy is damaged there", () => {
      const chain = movementChain("dock-1");
      const edited = lines(chain.slice(0, 12));
      expect(edited[5]).toContain('"to":"shelf-a"'); // seq 6, a putaway
      edited[5] = (edited[5] as string).replace('"to":"shelf-a"', '"to":"shelf-b"');
      expect(ingest.handleBatch("dock-1", canonical("dock-1", edited))).toMatchObject({
        kind: "ignored",
        corrupt: { seq: 6, reason: expect.stringContaining("does not match its hash") },
      });
      expect(store.node("dock-1")).toMatchObject({ state: "ok", head: { seq: 0 } });
      expect(store.movements({ limit: 100 })).toEqual([]);
    });

    it("records the node's last sign of life, whether the batch stored entries or not", async () => {
      const clock = new ManualClock("2026-11-22T10:00:00.000Z");
      const dir = await mkdtemp(join(tmpdir(), "comptoir-ingest-seen-"));
      const timed = new Store(join(dir, "gateway.db"), { clock });
      timed.enrollNode("dock-1", dock.publicKeyHex);
      const timedIngest = new Ingest(timed);
      const chain = movementChain("dock-1");
      clock.advance(1000);
      timedIngest.handleBatch("dock-1", canonical("dock-1", lines(chain.slice(0, 5))));
      expect(timed.node("dock-1")?.lastSeen).toBe("2026-11-22T10:00:01.000Z");
      clock.advance(1000);
      expect(timedIngest.handleBatch("dock-1", "{not json")).toMatchObject({ kind: "ignored" });
      expect(timed.node("dock-1")?.lastSeen).toBe("2026-11-22T10:00:02.000Z");
      clock.advance(1000);
      timedIngest.handleBatch("dock-1", canonical("dock-1", lines(chain.slice(0, 5))));
      expect(timed.node("dock-1")?.lastSeen).toBe("2026-11-22T10:00:03.000Z");
      timed.close();
    });
  });

  describe("a signed batch that is not a chain on its own terms is refused: nothing stored, the node not marked", () => {
    // Altered on the wire (or on the node's disk): the node's signature covers the last hash,
    // which only vouches for the entries through their links and hashes.
    const cases: [string, (entries: LedgerEntry[]) => LedgerEntry[], number?][] = [
      [
        "a byte of data changed",
        (e) => {
          (e[12] as LedgerEntry).data = {
            ...((e[12] as LedgerEntry).data as object),
            to: "elsewhere",
          };
          return e;
        },
        13,
      ],
      [
        "data changed and the hash recomputed",
        (e) => {
          (e[12] as LedgerEntry).data = {
            ...((e[12] as LedgerEntry).data as object),
            to: "elsewhere",
          };
          rehash(e[12] as LedgerEntry);
          return e;
        },
      ],
      [
        "an entry deleted",
        (e) => {
          e.splice(12, 1);
          return e;
        },
      ],
      [
        "two entries swapped",
        (e) => {
          e.splice(12, 2, e[13] as LedgerEntry, e[12] as LedgerEntry);
          return e;
        },
      ],
      [
        "an entry duplicated",
        (e) => {
          e.splice(13, 0, structuredClone(e[12] as LedgerEntry));
          return e;
        },
      ],
      [
        "another chain spliced in",
        (e) => [
          ...e.slice(0, 12),
          ...movementChain("shelf-1", shelf).slice(12, 15),
          ...e.slice(15),
        ],
      ],
    ];
    for (const [name, tamper, corruptAt] of cases) {
      it(name, () => {
        const chain = tamper(structuredClone(movementChain("dock-1")));
        ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
        const outcome = ingest.handleBatch("dock-1", batch("dock-1", chain.slice(10, 30)));
        expect(outcome).toMatchObject({
          kind: "ignored",
          reason: expect.stringMatching(/^refused/),
        });
        expect(outcome.kind === "ignored" && outcome.corrupt?.seq).toBe(corruptAt ?? undefined);
        expect(store.node("dock-1")).toMatchObject({ state: "ok", head: { seq: 10 } });
        expect([...store.entries("dock-1")].at(-1)?.seq).toBe(10);
        // The genuine batch still goes in.
        expect(
          ingest.handleBatch("dock-1", batch("dock-1", movementChain("dock-1").slice(10, 30))),
        ).toMatchObject({ kind: "ack", seq: 30 });
      });
    }
  });

  describe("tamper the node signed: the node is marked broken at the right seq, the others flow on", () => {
    // The expected break, and the last seq stored before it (a duplicate's first copy is valid).
    const cases: [
      string,
      (entries: LedgerEntry[]) => LedgerEntry[],
      { seq: number; reason: string },
      number?,
    ][] = [
      [
        "a checkpoint signed by a foreign key",
        (e) => {
          const at = e.findIndex((x, i) => i > 10 && x.type === "checkpoint");
          const before = e[at - 1] as LedgerEntry;
          (e[at] as LedgerEntry).data = signCheckpoint(generateIdentity(), {
            chain: "dock-1",
            seq: before.seq,
            hash: before.hash,
          });
          relink(e, at);
          return e;
        },
        { seq: 21, reason: "signed by another key" },
      ],
    ];
    for (const [name, tamper, expected, lastStored = expected.seq - 1] of cases) {
      it(name, () => {
        const chain = tamper(structuredClone(movementChain("dock-1")));
        ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
        const outcome = ingest.handleBatch("dock-1", batch("dock-1", chain.slice(10, 30)));
        expect(outcome).toMatchObject({ kind: "broken", ...expected, ack: lastStored });
        expect(store.node("dock-1")).toMatchObject({
          state: "broken",
          broken: expected,
          head: { seq: lastStored },
        });
        expect([...store.entries("dock-1")].at(-1)?.seq).toBe(lastStored);
        // Nothing after the break is ever stored, even valid-looking entries.
        expect(
          ingest.handleBatch("dock-1", batch("dock-1", movementChain("dock-1").slice(10, 30))),
        ).toMatchObject({ kind: "ignored" });
        // Another node keeps flowing.
        expect(
          ingest.handleBatch("shelf-1", batch("shelf-1", movementChain("shelf-1", shelf))),
        ).toMatchObject({ kind: "ack" });
      });
    }

    it("history rewritten below the stored head", () => {
      const chain = movementChain("dock-1");
      ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
      const rewritten = structuredClone(chain.slice(0, 10));
      (rewritten[4] as LedgerEntry).data = { rewritten: true };
      relink(rewritten, 4);
      expect(ingest.handleBatch("dock-1", batch("dock-1", rewritten))).toMatchObject({
        kind: "broken",
        seq: 5,
        reason: "bad hash",
      });
    });
  });

  describe("signed batches (issue 13, item 5)", () => {
    /** Entries that continue dock-1's stored chain with valid hashes, as anyone could make them. */
    function forgedContinuation(): LedgerEntry[] {
      const stored = movementChain("dock-1").slice(0, 10);
      let head = { seq: 10, hash: (stored.at(-1) as LedgerEntry).hash };
      const forged: LedgerEntry[] = [];
      for (let i = 0; i < 3; i++) {
        const { entry } = sealEntry({
          seq: head.seq + 1,
          ts: "2026-11-22T11:00:00.000Z",
          chain: "dock-1",
          type: "movement",
          data: { epc: "3034257BF7194E4000FFFF00", sku: "SKU-0", kind: "sale", amount: -50000 },
          prev: head.hash,
        });
        forged.push(entry);
        head = { seq: entry.seq, hash: entry.hash };
      }
      return forged;
    }

    for (const [name, payload] of [
      [
        "without a signature",
        () => JSON.stringify({ node: "dock-1", entries: forgedContinuation() }),
      ],
      [
        "signed by another key",
        () => signedBatch(generateIdentity(), "dock-1", forgedContinuation()),
      ],
      [
        "with the node's signature of another batch",
        () => {
          const sig = (
            JSON.parse(batch("dock-1", movementChain("dock-1").slice(10, 13))) as { sig: string }
          ).sig;
          return JSON.stringify({ node: "dock-1", entries: forgedContinuation(), sig });
        },
      ],
    ] as const) {
      it(`refuses entries with valid hashes ${name}: nothing stored, the real node keeps syncing`, () => {
        const chain = movementChain("dock-1");
        ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
        const stock = store.stock();
        expect(ingest.handleBatch("dock-1", payload())).toMatchObject({
          kind: "ignored",
          reason: expect.stringMatching(/^refused: seq 11-13: (unsigned|bad signature)/),
        });
        expect(store.node("dock-1")).toMatchObject({
          state: "ok",
          broken: null,
          head: { seq: 10 },
        });
        expect([...store.entries("dock-1")]).toHaveLength(10);
        expect(store.stock()).toEqual(stock);
        expect(ingest.handleBatch("dock-1", batch("dock-1", chain.slice(10)))).toMatchObject({
          kind: "ack",
          seq: chain.length,
        });
      });
    }

    it("a forged rewrite of stored history does not mark the real node broken", () => {
      const chain = movementChain("dock-1");
      ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
      const rewritten = structuredClone(chain.slice(0, 10));
      (rewritten[4] as LedgerEntry).data = { rewritten: true };
      relink(rewritten, 4);
      expect(
        ingest.handleBatch("dock-1", JSON.stringify({ node: "dock-1", entries: rewritten })),
      ).toMatchObject({
        kind: "ignored",
      });
      expect(store.node("dock-1")).toMatchObject({ state: "ok", head: { seq: 10 } });
    });
  });

  describe("redelivered entries are recomputed (issue 13, item 17)", () => {
    it("an entry sent again whose content no longer gives its hash: the node is told its copy is damaged, the gateway's is kept", () => {
      const chain = movementChain("dock-1");
      ingest.handleBatch("dock-1", batch("dock-1", chain.slice(0, 10)));
      const stored = [...store.entries("dock-1")];
      // The node's disk flipped a value of seq 4; its stored hash field is intact.
      const damaged = structuredClone(chain.slice(0, 10));
      (damaged[3] as LedgerEntry).data = {
        ...((damaged[3] as LedgerEntry).data as object),
        reads: 5,
      };
      expect(ingest.handleBatch("dock-1", batch("dock-1", damaged))).toMatchObject({
        kind: "ignored",
        corrupt: { seq: 4, reason: expect.stringContaining("does not match its hash") },
      });
      expect([...store.entries("dock-1")]).toEqual(stored);
      expect(store.node("dock-1")).toMatchObject({ state: "ok", head: { seq: 10 } });
    });
  });
});

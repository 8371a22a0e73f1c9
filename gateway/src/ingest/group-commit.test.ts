import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { buildChain, signedBatch } from "@comptoir/contracts/testing";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { GroupCommit } from "./group-commit.js";
import { Ingest, type IngestOutcome } from "./ingest.js";

const dock = generateIdentity();
const shelf = generateIdentity();
let path: string;
let store: Store;
/** A second connection, as the HTTP API or the audit worker would read: it sees only commits. */
let reader: Database.Database;

beforeEach(async () => {
  path = join(await mkdtemp(join(tmpdir(), "comptoir-group-")), "gateway.db");
  store = new Store(path);
  store.enrollNode("dock-1", dock.publicKeyHex);
  store.enrollNode("shelf-1", shelf.publicKeyHex);
  reader = new Database(path, { readonly: true });
});

afterEach(() => {
  reader.close();
  store.close();
});

const dockChain = buildChain("dock-1", dock, 30);
const shelfChain = buildChain("shelf-1", shelf, 30);
const dockBatch = (from: number, to: number) =>
  signedBatch(dock, "dock-1", dockChain.slice(from, to));
const shelfBatch = (from: number, to: number) =>
  signedBatch(shelf, "shelf-1", shelfChain.slice(from, to));
const committed = (chain: string) =>
  (
    reader.prepare("SELECT COUNT(*) AS n FROM entries WHERE chain = ?").get(chain) as {
      n: number;
    }
  ).n;

describe("group commit", () => {
  it("stores the batches that arrive together in one transaction, and answers each once it is committed", async () => {
    const ingest = new Ingest(store);
    const seenByOthers: number[] = [];
    const group = new GroupCommit(
      {
        handleBatch: (node, payload) => {
          // Inside the group: what the batches before stored is not committed yet.
          seenByOthers.push(committed("dock-1") + committed("shelf-1"));
          return ingest.handleBatch(node, payload);
        },
      },
      store.db,
      { maxGroupMs: 60_000 },
    );
    const answered: string[] = [];
    const dockDone = group.handleBatch("dock-1", dockBatch(0, 10)).then((outcome) => {
      // Acknowledged only once a reader on another connection sees the entries.
      answered.push(`dock ${committed("dock-1")}`);
      return outcome;
    });
    const shelfDone = group.handleBatch("shelf-1", shelfBatch(0, 10));
    expect(committed("dock-1")).toBe(0);
    const outcomes = await Promise.all([dockDone, shelfDone]);
    expect(seenByOthers).toEqual([0, 0]);
    expect(answered).toEqual(["dock 10"]);
    expect(outcomes).toEqual([
      { kind: "ack", seq: 10, stored: 10 },
      { kind: "ack", seq: 10, stored: 10 },
    ]);
    expect(committed("shelf-1")).toBe(10);
  });

  it("chains two batches of one node in the same group, and stores a redelivery once", async () => {
    const group = new GroupCommit(new Ingest(store), store.db, { maxGroupMs: 60_000 });
    const outcomes = await Promise.all([
      group.handleBatch("dock-1", dockBatch(0, 10)),
      group.handleBatch("dock-1", dockBatch(10, 20)),
      group.handleBatch("dock-1", dockBatch(0, 20)),
    ]);
    expect(outcomes).toEqual([
      { kind: "ack", seq: 10, stored: 10 },
      { kind: "ack", seq: 20, stored: 10 },
      { kind: "ack", seq: 20, stored: 0 },
    ]);
    expect(committed("dock-1")).toBe(20);
    expect(store.node("dock-1")?.head).toEqual({ seq: 20, hash: dockChain[19]?.hash });
  });

  it("does not let a refused batch, nor one that throws, take the others of its group down", async () => {
    const ingest = new Ingest(store);
    const tampered = structuredClone(dockChain.slice(0, 10)) as LedgerEntry[];
    (tampered[4] as { data: unknown }).data = { forged: true };
    const group = new GroupCommit(
      {
        handleBatch: (node, payload) => {
          const outcome = ingest.handleBatch(node, payload);
          // Fails after storing: its savepoint must take back what it stored.
          if (payload === "throw after storing") throw new Error("the disk said no");
          return outcome;
        },
      },
      store.db,
      { maxGroupMs: 60_000 },
    );
    const throwing = group.handleBatch("dock-1", "throw after storing");
    const [refused, stored, failed] = await Promise.allSettled([
      group.handleBatch("dock-1", signedBatch(dock, "dock-1", tampered)),
      group.handleBatch("shelf-1", shelfBatch(0, 10)),
      throwing,
    ]);
    expect(refused).toMatchObject({ status: "fulfilled", value: { kind: "ignored" } });
    expect(stored).toEqual({ status: "fulfilled", value: { kind: "ack", seq: 10, stored: 10 } });
    expect(failed).toMatchObject({ status: "rejected", reason: { message: "the disk said no" } });
    expect(committed("shelf-1")).toBe(10);
    expect(committed("dock-1")).toBe(0);
    expect(store.node("dock-1")?.head.seq).toBe(0);
  });

  it("acknowledges nothing of a group whose transaction did not commit", async () => {
    const ingest = new Ingest(store);
    let diskFull = true;
    const group = new GroupCommit(
      {
        handleBatch: (node, payload) => {
          const outcome = ingest.handleBatch(node, payload);
          // As SQLite does on a full disk or an I/O error: the whole transaction rolled back.
          if (node === "shelf-1" && diskFull) store.db.exec("ROLLBACK");
          return outcome;
        },
      },
      store.db,
      { maxGroupMs: 60_000 },
    );
    const settled = await Promise.allSettled([
      group.handleBatch("dock-1", dockBatch(0, 10)),
      group.handleBatch("shelf-1", shelfBatch(0, 10)),
      group.handleBatch("dock-1", dockBatch(10, 20)),
    ]);
    // The third waits for the next group: the first two are gone, so it is asked to resend.
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect(settled[2]).toMatchObject({ value: { kind: "resend", from: 1 } });
    expect(committed("dock-1") + committed("shelf-1")).toBe(0);
    // The nodes send again, and it is all stored once.
    diskFull = false;
    const again = await Promise.all([
      group.handleBatch("dock-1", dockBatch(0, 20)),
      group.handleBatch("shelf-1", shelfBatch(0, 10)),
    ]);
    expect(again.map((o) => o.kind)).toEqual(["ack", "ack"]);
    expect(committed("dock-1")).toBe(20);
  });

  it("leaves the batches still waiting for the next turn once a group has run its time", async () => {
    const ingest = new Ingest(store);
    let clock = 0;
    const seenByOthers: number[] = [];
    const group = new GroupCommit(
      {
        handleBatch: (node, payload) => {
          seenByOthers.push(committed("dock-1"));
          clock += 6; // each batch takes 6 ms: two fit in 10 ms, the third waits
          return ingest.handleBatch(node, payload);
        },
      },
      store.db,
      { maxGroupMs: 10, now: () => clock },
    );
    const outcomes = await Promise.all([
      group.handleBatch("dock-1", dockBatch(0, 10)),
      group.handleBatch("dock-1", dockBatch(10, 20)),
      group.handleBatch("dock-1", dockBatch(20, 30)),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(["ack", "ack", "ack"]);
    // The first two in one transaction (nothing committed yet for the second), the third after.
    expect(seenByOthers).toEqual([0, 0, 20]);
  });

  it("ends with each node's whole chain stored once, however batches are cut, resent and grouped", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.nat(29), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom(0, 1000),
        async (sends, maxGroupMs) => {
          const dir = await mkdtemp(join(tmpdir(), "comptoir-group-prop-"));
          const own = new Store(join(dir, "gateway.db"));
          try {
            own.enrollNode("dock-1", dock.publicKeyHex);
            own.enrollNode("shelf-1", shelf.publicKeyHex);
            const group = new GroupCommit(new Ingest(own), own.db, { maxGroupMs });
            const send = (isDock: boolean, from: number, to: number): Promise<IngestOutcome> =>
              isDock
                ? group.handleBatch("dock-1", dockBatch(from, to))
                : group.handleBatch("shelf-1", shelfBatch(from, to));
            // Arbitrary slices, all at once (out of order, overlapping), then what is left.
            await Promise.all(sends.map(([isDock, from, size]) => send(isDock, from, from + size)));
            for (const isDock of [true, false]) {
              const node = isDock ? "dock-1" : "shelf-1";
              const head = own.node(node)?.head.seq ?? 0;
              const outcome = await send(isDock, head, 30);
              expect(outcome).toMatchObject({ kind: "ack", seq: 30 });
              const rows = own.db
                .prepare("SELECT seq FROM entries WHERE chain = ? ORDER BY seq")
                .all(node) as { seq: number }[];
              expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
            }
          } finally {
            own.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

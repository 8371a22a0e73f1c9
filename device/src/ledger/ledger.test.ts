import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { applyRetention } from "../sync/retention.js";
import { LedgerClosedError, LedgerDamagedError } from "./errors.js";
import { Ledger, type LedgerOptions } from "./ledger.js";
import { verifyLedgerDir } from "./verify-dir.js";

const identity = generateIdentity();
const open: Ledger[] = [];

async function ledgerIn(dir: string, options: Partial<LedgerOptions> = {}): Promise<Ledger> {
  const ledger = await Ledger.open({
    dir,
    chain: "dock-1",
    identity,
    groupCommitMs: 2,
    ...options,
  });
  open.push(ledger);
  return ledger;
}

async function freshDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "comptoir-ledger-")), "ledger");
}

async function storedEntries(dir: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), "utf8");
    for (const line of text.split("\n")) if (line) entries.push(JSON.parse(line));
  }
  return entries;
}

afterEach(async () => {
  for (const ledger of open.splice(0)) await ledger.close().catch(() => {});
});

describe("node ledger", () => {
  it("appends entries that are on disk when append() resolves", async () => {
    const dir = await freshDir();
    const clock = new ManualClock("2026-11-22T09:00:00.000Z");
    const ledger = await ledgerIn(dir, { clock });
    const entry = await ledger.append("movement", {
      epc: "3034257BF7194E4000001A85",
      to: "dock-1",
    });
    expect(entry).toMatchObject({
      seq: 1,
      chain: "dock-1",
      type: "movement",
      ts: "2026-11-22T09:00:00.000Z",
    });
    expect(entry.prev).toBe("0".repeat(64));
    expect(await storedEntries(dir)).toEqual([entry]);
    expect(ledger.durable).toEqual({ seq: 1, hash: entry.hash });
  });

  it("keeps the order of concurrent appends, sharing fsyncs", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { checkpointEvery: 1_000_000 });
    const entries = await Promise.all(
      Array.from({ length: 500 }, (_, i) => ledger.append("movement", { i })),
    );
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const stored = await storedEntries(dir);
    expect(stored.map((e) => (e.data as { i: number }).i)).toEqual(
      Array.from({ length: 500 }, (_, i) => i),
    );
  });

  it("stores multi-byte text whole across the write buffers of one commit", async () => {
    // Lines of 1 to 4 bytes per character, in one commit window, fill several
    // 64 KiB write buffers: none may be cut or overrun at a buffer's end.
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { checkpointEvery: 1_000_000, groupCommitMs: 50 });
    const texts = ["a", "é", "€", "😀"].map((unit) => unit.repeat(700));
    const appended = await Promise.all(
      Array.from({ length: 400 }, (_, i) => ledger.append("note", { i, text: texts[i % 4] })),
    );
    const stored = await storedEntries(dir);
    expect(stored).toEqual(appended);
    await ledger.close();
    const { result } = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
    expect(result).toMatchObject({ ok: true, count: 401 });
  });

  it("signs a checkpoint every N entries and at a clean close", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { checkpointEvery: 10 });
    for (let i = 0; i < 25; i++) await ledger.append("movement", { i });
    await ledger.close();
    const stored = await storedEntries(dir);
    expect(stored.filter((e) => e.type === "checkpoint").map((e) => e.seq)).toEqual([11, 22, 28]);
    expect(stored.at(-1)?.data).toMatchObject({
      seq: 27,
      hash: stored[26]?.hash,
      key: identity.publicKeyHex,
    });
    const { result } = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
    expect(result).toMatchObject({ ok: true, count: 28 });
  });

  it("continues the same chain after a restart", async () => {
    const dir = await freshDir();
    const first = await ledgerIn(dir);
    await first.append("movement", { n: 1 });
    await first.close();
    const second = await ledgerIn(dir);
    expect(second.head.seq).toBe(2); // the entry and the closing checkpoint
    const next = await second.append("movement", { n: 2 });
    expect(next.seq).toBe(3);
    await second.close();
    expect((await verifyLedgerDir(dir, { publicKey: identity.publicKey })).result.ok).toBe(true);
  });

  it("rotates segments by size and reads from any seq without losing one", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { segmentBytes: 4096, fsync: "entry", checkpointEvery: 7 });
    for (let i = 0; i < 60; i++) await ledger.append("movement", { i, pad: "x".repeat(100) });
    const names = (await readdir(dir)).sort();
    expect(names.length).toBeGreaterThan(5);
    const stored = await storedEntries(dir);
    for (const name of names) {
      const text = await readFile(join(dir, name), "utf8");
      expect(JSON.parse(text.slice(0, text.indexOf("\n"))).seq).toBe(Number(name.slice(0, 20)));
    }
    for (const from of [1, 17, 33, 50, stored.length]) {
      const read: number[] = [];
      for await (const entry of ledger.readFrom(from)) read.push(entry.seq);
      expect(read).toEqual(stored.filter((e) => e.seq >= from).map((e) => e.seq));
    }
  });

  it("refuses to start on damage after the last checkpoint, naming seq and reason, and changes nothing", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { checkpointEvery: 5 });
    for (let i = 0; i < 8; i++) await ledger.append("sale", { amount: 1000 + i });
    await ledger.flush();
    // Not closed (a clean close signs a checkpoint over the damage to come), as after a
    // crash; afterEach closes its file once the checks are done, so no handle is left to GC.
    const [name] = await readdir(dir);
    const path = join(dir, name as string);
    const damaged = (await readFile(path, "utf8")).replace('"amount":1007', '"amount":7');
    await writeFile(path, damaged);
    const error = await Ledger.open({ dir, chain: "dock-1", identity }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerDamagedError);
    expect(error).toMatchObject({ seq: 9, reason: "bad hash" });
    expect((error as Error).message).toMatch(/broken at seq 9: bad hash/);
    expect(await readFile(path, "utf8")).toBe(damaged);
  });

  it("finds damage before the last checkpoint when asked to verify everything", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { checkpointEvery: 5 });
    for (let i = 0; i < 12; i++) await ledger.append("sale", { amount: 1000 + i });
    await ledger.close();
    const [name] = await readdir(dir);
    const path = join(dir, name as string);
    await writeFile(path, (await readFile(path, "utf8")).replace('"amount":1001', '"amount":1'));
    await expect(ledgerIn(dir)).resolves.toBeInstanceOf(Ledger);
    await expect(
      Ledger.open({ dir, chain: "dock-1", identity, verifyOnOpen: "all" }),
    ).rejects.toMatchObject({
      seq: 2,
      reason: "bad hash",
    });
  });

  it("refuses a ledger whose checkpoints another key signed", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir);
    await ledger.append("movement", {});
    await ledger.close();
    await expect(
      Ledger.open({ dir, chain: "dock-1", identity: generateIdentity() }),
    ).rejects.toMatchObject({
      seq: 2,
      reason: "signed by another key",
    });
  });

  it("refuses bad appends without consuming a seq", async () => {
    const ledger = await ledgerIn(await freshDir());
    await ledger.append("movement", { ok: true });
    await expect(ledger.append("Not A Type", {})).rejects.toThrow(/not a valid entry type/);
    await expect(ledger.append("checkpoint", {})).rejects.toThrow(/written by the ledger itself/);
    await expect(ledger.append("movement", { amount: Number.NaN })).rejects.toThrow(
      /not a JSON number/,
    );
    await expect(ledger.append("movement", { blob: "x".repeat(70_000) })).rejects.toThrow(
      /may not exceed/,
    );
    expect((await ledger.append("movement", { ok: true })).seq).toBe(2);
  });

  it("verifies a ledger whose oldest segments retention removed, from its first kept entry", async () => {
    const dir = await freshDir();
    const ledger = await ledgerIn(dir, { segmentBytes: 4096, fsync: "entry", checkpointEvery: 5 });
    for (let i = 0; i < 60; i++) await ledger.append("movement", { i, pad: "x".repeat(100) });
    const names = (await readdir(dir)).sort();
    const [first, second] = await Promise.all(names.slice(0, 2).map((n) => stat(join(dir, n))));
    const total = (await Promise.all(names.map((n) => stat(join(dir, n))))).reduce(
      (sum, file) => sum + file.size,
      0,
    );
    // As the node does it: acknowledged, checkpointed, and with signed evidence of where it starts.
    await applyRetention({
      dir,
      ackedSeq: ledger.durable.seq,
      maxBytes: total - (first?.size ?? 0) - (second?.size ?? 0),
      chain: "dock-1",
      identity,
      ack: { type: "ack", seq: ledger.durable.seq },
    });
    await ledger.refreshSegments();
    const firstKept = Number((names[2] as string).slice(0, 20));
    const read: number[] = [];
    for await (const entry of ledger.readFrom(1)) read.push(entry.seq);
    expect(read[0]).toBe(firstKept);
    await ledger.close();
    const checked = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
    expect(checked.startedAt).toBe(firstKept);
    expect(checked.evidence?.firstKeptSeq).toBe(firstKept);
    expect(checked.result.ok).toBe(true);
    const reopened = await Ledger.open({ dir, chain: "dock-1", identity, verifyOnOpen: "all" });
    expect(reopened.head.seq).toBe(ledger.head.seq);
    await reopened.close();
  });

  it("rejects appends once closed", async () => {
    const ledger = await ledgerIn(await freshDir());
    await ledger.close();
    await expect(ledger.append("movement", {})).rejects.toBeInstanceOf(LedgerClosedError);
  });
});

import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { applyRetention } from "../sync/retention.js";
import { ledgerOfSegments as segmentedLedger } from "./testing/segments.js";
import { verifyLedgerDir } from "./verify-dir.js";
import { verifyLedgerDirInParallel } from "./verify-parallel.js";

const identity = generateIdentity();

/** A ledger of many small segments, checkpointed every 5 entries. */
const ledgerOfSegments = async (entries: number) => (await segmentedLedger(identity, entries)).dir;

/** Rewrites the segment at `index` (in name order) through `change`, a function of its lines. */
async function editSegment(dir: string, index: number, change: (lines: string[]) => string[]) {
  const name = (await readdir(dir)).sort()[index] as string;
  const lines = (await readFile(join(dir, name), "utf8")).split("\n").filter(Boolean);
  await writeFile(join(dir, name), `${change(lines).join("\n")}\n`);
}

const bothWays = async (dir: string, options = {}) => ({
  serial: await verifyLedgerDir(dir, options),
  parallel: await verifyLedgerDirInParallel(dir, { ...options, threads: 3 }),
});

describe("verifyLedgerDirInParallel", () => {
  it("confirms a sound ledger of many segments with the serial verifier's count, head and tail", async () => {
    const dir = await ledgerOfSegments(200);
    expect((await readdir(dir)).length).toBeGreaterThan(9);
    const { serial, parallel } = await bothWays(dir, { publicKey: identity.publicKey });
    expect(serial.result).toMatchObject({ ok: true, count: 240 });
    expect(parallel.result).toEqual(serial.result);
    expect(parallel.sinceCheckpoint).toBe(serial.sinceCheckpoint);
    expect(parallel.tornBytes).toBe(0);
    expect(parallel.threads).toBe(3);
    const noKey = await verifyLedgerDirInParallel(dir, { threads: 2 });
    expect(noKey.result).toEqual(serial.result);
    expect(noKey.threads).toBe(2);
  });

  it("names the same seq and reason as the serial verifier for damage inside a run and between runs", async () => {
    const flipped = await ledgerOfSegments(200);
    await editSegment(flipped, 6, (lines) => {
      const at = lines.findIndex((line) => line.includes('"pad":"x'));
      return lines.map((line, i) => (i === at ? line.replace('"pad":"x', '"pad":"y') : line));
    });
    const dropped = await ledgerOfSegments(200);
    // The first entry of a later segment: the join between two runs breaks.
    await editSegment(dropped, 4, (lines) => lines.slice(1));
    const reordered = await ledgerOfSegments(200);
    await editSegment(reordered, 8, (lines) => [lines[1], lines[0], ...lines.slice(2)] as string[]);
    for (const dir of [flipped, dropped, reordered]) {
      const { serial, parallel } = await bothWays(dir, { publicKey: identity.publicKey });
      expect(serial.result.ok).toBe(false);
      expect(parallel.result).toEqual(serial.result);
    }
  });

  it("holds every checkpoint to the given key, in every run", async () => {
    const dir = await ledgerOfSegments(200);
    const other = generateIdentity();
    const { serial, parallel } = await bothWays(dir, { publicKey: other.publicKey });
    expect(serial.result).toMatchObject({ ok: false, reason: "signed by another key" });
    expect(parallel.result).toEqual(serial.result);
  });

  it("starts from the first kept entry when retention removed the oldest segments", async () => {
    const dir = await ledgerOfSegments(200);
    const names = (await readdir(dir)).sort();
    const total = (await Promise.all(names.map((n) => stat(join(dir, n))))).reduce(
      (sum, file) => sum + file.size,
      0,
    );
    const oldest = await stat(join(dir, names[0] as string));
    await applyRetention({
      dir,
      ackedSeq: 200,
      maxBytes: total - oldest.size,
      chain: "dock-1",
      identity,
      ack: { type: "ack", seq: 200 },
    });
    const { serial, parallel } = await bothWays(dir, { publicKey: identity.publicKey });
    expect(serial.startedAt).toBeGreaterThan(1);
    expect(serial.result.ok).toBe(true);
    expect(parallel.result).toEqual(serial.result);
    expect(parallel.startedAt).toBe(serial.startedAt);
    expect(parallel.threads).toBe(3);
  });
});

import { readdir, rm, stat } from "node:fs/promises";
import { generateIdentity } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { applyRetention } from "../sync/retention.js";
import { LedgerDamagedError } from "./errors.js";
import { Ledger } from "./ledger.js";
import { readLines } from "./lines.js";
import { RETENTION_EVIDENCE_FILE } from "./retention-evidence.js";
import { listSegments } from "./segments.js";
import { ledgerOfSegments as segmentedLedger } from "./testing/segments.js";
import { isCheckpointLine, verifyLedgerDir } from "./verify-dir.js";
import { verifyLedgerDirInParallel } from "./verify-parallel.js";

const identity = generateIdentity();
const CHAIN = "dock-1";
/** A signed ack as the gateway sends it; kept as received, whatever its shape. */
const ACK = { type: "ack", seq: 0, sig: "ab".repeat(64) };

/** A ledger of small segments, checkpointed every 5 entries; closed. */
const ledgerOfSegments = (entries = 120) => segmentedLedger(identity, entries, CHAIN);

/** Removes the two oldest segments the way retention does: acknowledged, with signed evidence. */
async function retainTwo(dir: string, ackedSeq: number) {
  const segments = await listSegments(dir);
  const sizes = await Promise.all(segments.map(async (s) => (await stat(s.path)).size));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return applyRetention({
    dir,
    ackedSeq,
    maxBytes: total - (sizes[0] as number) - (sizes[1] as number),
    chain: CHAIN,
    identity,
    ack: { ...ACK, seq: ackedSeq },
  });
}

/** The first checkpoint left on disk, as `--known SEQ:HASH` would name it. */
async function survivingCheckpoint(dir: string): Promise<{ seq: number; hash: string }> {
  for (const segment of await listSegments(dir)) {
    for await (const line of readLines(segment.path)) {
      if (isCheckpointLine(line)) {
        const { data } = JSON.parse(line) as { data: { seq: number; hash: string } };
        return { seq: data.seq, hash: data.hash };
      }
    }
  }
  throw new Error("no checkpoint left");
}

async function deleteOldestByHand(dir: string): Promise<number> {
  const [oldest, next] = await listSegments(dir);
  await rm(oldest?.path as string);
  return next?.firstSeq as number;
}

describe("retention evidence: a ledger without seq 1", () => {
  it("is broken at its first seq when the oldest segment was deleted by hand, however it is verified", async () => {
    const { dir } = await ledgerOfSegments();
    const firstLeft = await deleteOldestByHand(dir);
    const broken = { ok: false, seq: firstLeft, reason: "gap" };

    expect((await verifyLedgerDir(dir)).result).toMatchObject(broken);
    expect((await verifyLedgerDir(dir, { publicKey: identity.publicKey })).result).toMatchObject(
      broken,
    );
    expect((await verifyLedgerDirInParallel(dir, { threads: 3 })).result).toMatchObject(broken);
    // A checkpoint that survived, given as known, does not vouch for what is missing before it.
    const known = await survivingCheckpoint(dir);
    expect((await verifyLedgerDir(dir, { known })).result).toMatchObject(broken);
    expect((await verifyLedgerDir(dir, { fromLastCheckpoint: true })).result).toMatchObject(broken);
    for (const verifyOnOpen of ["all", "tail"] as const) {
      const opening = Ledger.open({ dir, chain: CHAIN, identity, verifyOnOpen });
      await expect(opening).rejects.toBeInstanceOf(LedgerDamagedError);
      await expect(opening).rejects.toMatchObject({ seq: firstLeft });
    }
  });

  it("verifies after a real retention run, and names the signed evidence and the gateway's ack", async () => {
    const { dir, head } = await ledgerOfSegments();
    const run = await retainTwo(dir, head);
    expect(run.deleted).toHaveLength(2);
    expect((await readdir(dir)).includes(RETENTION_EVIDENCE_FILE)).toBe(true);

    const checked = await verifyLedgerDir(dir, { publicKey: identity.publicKey });
    expect(checked.result.ok).toBe(true);
    expect(checked.startedAt).toBe(run.firstKeptSeq);
    expect(checked.evidence).toMatchObject({
      chain: CHAIN,
      firstKeptSeq: run.firstKeptSeq,
      ackSeq: head,
      ack: { ...ACK, seq: head },
    });
    const parallel = await verifyLedgerDirInParallel(dir, { threads: 3 });
    expect(parallel.result).toEqual(checked.result);
    expect(parallel.evidence).toEqual(checked.evidence);
    const reopened = await Ledger.open({ dir, chain: CHAIN, identity, verifyOnOpen: "all" });
    expect(reopened.head.seq).toBe(head);
    await reopened.close();
  });

  it("is broken again when a segment goes after the evidence was signed, or the evidence is another key's", async () => {
    const { dir, head } = await ledgerOfSegments();
    await retainTwo(dir, head);
    const firstLeft = await deleteOldestByHand(dir);
    expect((await verifyLedgerDir(dir)).result).toMatchObject({
      ok: false,
      seq: firstLeft,
      reason: "gap",
    });

    const other = await ledgerOfSegments();
    await retainTwo(other.dir, other.head);
    const stranger = generateIdentity();
    expect(
      (await verifyLedgerDir(other.dir, { publicKey: stranger.publicKey })).result,
    ).toMatchObject({ ok: false, reason: "signed by another key" });
  });

  it("removes nothing when it has no acknowledgement to show for it", async () => {
    const { dir, head } = await ledgerOfSegments();
    const run = await applyRetention({
      dir,
      ackedSeq: head,
      maxBytes: 0,
      chain: CHAIN,
      identity,
      ack: undefined,
    });
    expect(run.deleted).toEqual([]);
    expect(run.blockedBy).toBe("acknowledgement");
  });
});

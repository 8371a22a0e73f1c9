import { stat } from "node:fs/promises";
import { generateIdentity } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../ledger/ledger.js";
import { readLines } from "../ledger/lines.js";
import { lineSeq, listSegments, type Segment } from "../ledger/segments.js";
import { isCheckpointLine, verifyLedgerDir } from "../ledger/verify-dir.js";
import { applyRetention } from "./retention.js";
import { startBroker } from "./testing/broker.js";
import { NODE, NodeFixture, SITE } from "./testing/fixture.js";
import { VerifyingGateway } from "./testing/gateway.js";

const fixture = new NodeFixture();
afterEach(() => fixture.cleanup());

/** In small groups: the ledger starts a new segment only between group commits. */
async function appendInGroups(count: number): Promise<void> {
  for (let done = 0; done < count; done += 50) await fixture.append(50);
}

interface Described extends Segment {
  lastSeq: number;
  checkpoints: number[];
  bytes: number;
}

async function describeSegments(dir: string): Promise<Described[]> {
  const described: Described[] = [];
  for (const segment of await listSegments(dir)) {
    let lastSeq = 0;
    const checkpoints: number[] = [];
    for await (const line of readLines(segment.path)) {
      lastSeq = lineSeq(line);
      if (isCheckpointLine(line)) checkpoints.push(lastSeq);
    }
    described.push({ ...segment, lastSeq, checkpoints, bytes: (await stat(segment.path)).size });
  }
  return described;
}

/** A retention run as the node makes it: the gateway's ack of `ackedSeq` as received. */
function retain(ackedSeq: number, maxBytes: number) {
  return applyRetention({
    dir: fixture.ledgerDir,
    ackedSeq,
    maxBytes,
    chain: NODE,
    identity: fixture.identity,
    ack: { type: "ack", seq: ackedSeq },
  });
}

describe("ledger retention", () => {
  it("deletes, oldest first, only segments the gateway acknowledged and a checkpoint covers", async () => {
    const ledger = await fixture.open({ segmentBytes: 16 * 1024, checkpointEvery: 400 });
    await appendInGroups(1500);
    const before = await describeSegments(fixture.ledgerDir);
    expect(before.length).toBeGreaterThan(10);
    const lastCheckpoint = Math.max(...before.flatMap((segment) => segment.checkpoints));
    const acked = 900;

    const result = await retain(acked, 0);

    const after = await describeSegments(fixture.ledgerDir);
    const deleted = before.filter((segment) => !after.some((kept) => kept.path === segment.path));
    expect(deleted.length).toBeGreaterThan(0);
    expect(result.deleted).toEqual(deleted.map((segment) => segment.path));
    expect(deleted).toEqual(before.slice(0, deleted.length));
    for (const segment of deleted) {
      expect(segment.lastSeq).toBeLessThanOrEqual(acked);
      expect(segment.lastSeq).toBeLessThan(lastCheckpoint);
    }
    // The next segment holds something not yet acknowledged.
    expect(after[0]?.lastSeq).toBeGreaterThan(acked);
    expect(result.blockedBy).toBe("acknowledgement");
    expect(result.freedBytes).toBe(deleted.reduce((sum, segment) => sum + segment.bytes, 0));

    // What the gateway may still ask for is all there, and the ledger opens again.
    let expected = acked + 1;
    for await (const entry of ledger.readFrom(acked + 1)) expect(entry.seq).toBe(expected++);
    expect(expected).toBe(ledger.durable.seq + 1);
    await ledger.close();
    const reopened = await Ledger.open({
      dir: fixture.ledgerDir,
      chain: NODE,
      identity: fixture.identity,
    });
    expect(reopened.durable.seq).toBe(ledger.durable.seq);
    await reopened.close();
  });

  it("keeps the segment holding the last checkpoint, and segments no checkpoint covers", async () => {
    const ledger = await fixture.open({ segmentBytes: 16 * 1024, checkpointEvery: 1_000_000 });
    await appendInGroups(600);
    const head = ledger.durable.seq;
    const none = await retain(head, 0);
    expect(none.deleted).toEqual([]);
    expect(none.blockedBy).toBe("checkpoint");

    await ledger.checkpoint();
    await appendInGroups(300);
    const before = await describeSegments(fixture.ledgerDir);
    const holding = before.findIndex((segment) => segment.checkpoints.length > 0);
    const some = await retain(ledger.durable.seq, 0);
    expect(some.deleted).toEqual(before.slice(0, holding).map((segment) => segment.path));
    expect(some.blockedBy).toBe("checkpoint");
  });

  it("deletes nothing within budget or without an ack, and only what brings it under budget", async () => {
    const ledger = await fixture.open({ segmentBytes: 16 * 1024, checkpointEvery: 200 });
    await appendInGroups(1500);
    const before = await describeSegments(fixture.ledgerDir);
    const total = before.reduce((sum, segment) => sum + segment.bytes, 0);
    const head = ledger.durable.seq;
    expect((await retain(head, total)).deleted).toEqual([]);
    expect((await retain(0, 0)).deleted).toEqual([]);
    const oneLess = total - 1;
    const result = await retain(head, oneLess);
    expect(result.deleted).toEqual([before[0]?.path]);
    expect(result.totalBytes).toBe(total - (before[0]?.bytes ?? 0));
    expect(result.blockedBy).toBeUndefined();
    const all = await retain(head, 0);
    expect((await listSegments(fixture.ledgerDir)).length).toBeGreaterThanOrEqual(1);
    expect(all.blockedBy).toBeDefined();
  });

  it("keeps the gateway's ack as the node received it, signature and all, in the signed evidence", async () => {
    const broker = await startBroker();
    fixture.defer(() => broker.stop());
    const ledger = await fixture.open({ segmentBytes: 16 * 1024, checkpointEvery: 200 });
    await appendInGroups(600);
    const gatewayIdentity = generateIdentity();
    const gateway = await VerifyingGateway.start({
      url: broker.url,
      site: SITE,
      node: NODE,
      publicKey: fixture.identity.publicKey,
      gatewayIdentity,
    });
    fixture.defer(() => gateway.close());
    const sync = await fixture.sync(broker.url);
    const head = ledger.durable.seq;
    await gateway.until(() => gateway.head.seq >= head);
    await expect.poll(() => sync.lastAck?.seq).toBe(head);
    const ack = sync.lastAck as { seq: number; message: unknown };
    expect(ack.message).toMatchObject({ type: "ack", seq: head, sig: expect.any(String) });

    // What start.ts does every minute with a disk budget.
    const run = await applyRetention({
      dir: fixture.ledgerDir,
      ackedSeq: ack.seq,
      ack: ack.message,
      maxBytes: 0,
      chain: NODE,
      identity: fixture.identity,
    });
    expect(run.deleted.length).toBeGreaterThan(0);
    const checked = await verifyLedgerDir(fixture.ledgerDir, {
      publicKey: fixture.identity.publicKey,
    });
    expect(checked.result.ok).toBe(true);
    expect(checked.evidence?.ack).toEqual(ack.message);
    expect(checked.evidence?.ackSeq).toBe(head);
  });
});

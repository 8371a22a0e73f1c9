import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChainIdentity } from "@comptoir/contracts";
import { Ledger } from "../ledger.js";

/**
 * A ledger of many small segments (4 KiB), checkpointed every 5 entries, in
 * a new temporary directory; closed. Its head is the last durable seq.
 */
export async function ledgerOfSegments(
  identity: ChainIdentity,
  entries: number,
  chain = "dock-1",
): Promise<{ dir: string; head: number }> {
  const dir = join(await mkdtemp(join(tmpdir(), "comptoir-segments-")), "ledger");
  const ledger = await Ledger.open({
    dir,
    chain,
    identity,
    groupCommitMs: 1,
    segmentBytes: 4096,
    checkpointEvery: 5,
  });
  // A group commit goes to one segment: a few entries at a time make many segments.
  for (let i = 0; i < entries; i += 4) {
    await Promise.all(
      [0, 1, 2, 3].map((k) => ledger.append("movement", { i: i + k, pad: "x".repeat(90) })),
    );
  }
  const head = ledger.durable.seq;
  await ledger.close();
  return { dir, head };
}

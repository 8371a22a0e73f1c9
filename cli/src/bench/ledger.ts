import { hash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "@comptoir/contracts";
import {
  Ledger,
  listSegments,
  readLineBatches,
  readLines,
  verifyLedgerDirInParallel,
} from "@comptoir/device";
import { movement } from "@comptoir/device/sync/testing";
import { BareGroupWriter, bareFsyncPerLine } from "./bare-writer.js";
import { drive, drivePaced, driveSerially } from "./drive.js";
import { type Bench, percentile, result } from "./result.js";

const WINDOW_MS = 10;
/** Latency is measured at the throughput goal, offered steadily. */
const PACED_RATE = 100_000;

export const ledgerBench: Bench = {
  name: "ledger",
  summary: "durable appends (group commit and one fsync per entry) and chain verification",
  async run({ quick, log }) {
    const seconds = quick ? 2 : 8;
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-"));
    try {
      const identity = generateIdentity();
      const dir = join(root, "ledger");
      const ledger = await Ledger.open({
        dir,
        chain: "bench-node",
        identity,
        groupCommitMs: WINDOW_MS,
      });
      log(`group commit: appending for ${seconds} s…`);
      const group = await drive(() => ledger.append("movement", movement(0)), seconds);
      await ledger.close();
      const lineBytes = await averageLineBytes(dir);

      log(`latency: ${PACED_RATE.toLocaleString("en")} appends/s for ${seconds} s…`);
      const pacedLedger = await Ledger.open({
        dir: join(root, "ledger-paced"),
        chain: "bench-node",
        identity,
        groupCommitMs: WINDOW_MS,
      });
      const paced = await drivePaced(
        () => pacedLedger.append("movement", movement(0)),
        PACED_RATE,
        seconds,
      );
      await pacedLedger.close();
      log(`  p99 ms by second: ${(paced.p99BySecond ?? []).map((ms) => ms.toFixed(1)).join(" ")}`);

      log(`baseline: bare write + fsync every ${WINDOW_MS} ms…`);
      const line = `${"x".repeat(lineBytes - 1)}\n`;
      const bare = await BareGroupWriter.open(join(root, "bare-group"), WINDOW_MS);
      const bareGroup = await drive(() => bare.append(line), seconds);
      await bare.close();
      const barePacedWriter = await BareGroupWriter.open(join(root, "bare-paced"), WINDOW_MS);
      const barePaced = await drivePaced(() => barePacedWriter.append(line), PACED_RATE, seconds);
      await barePacedWriter.close();

      const threads = Math.min(availableParallelism(), 4);
      log(`verify: full chain, ${threads} threads as \`comptoir audit verify\` does, then one…`);
      const verifyRate = await best(2, () => verifyRateOf(dir, identity.publicKey, threads));
      const verifyOneThread = await best(2, () => verifyRateOf(dir, identity.publicKey, 1));
      const parseHashRate = await best(2, () => parseAndHashRateOf(dir));

      const entrySeconds = quick ? 1 : 3;
      log(`one fsync per entry: appending for ${entrySeconds} s…`);
      const perEntryLedger = await Ledger.open({
        dir: join(root, "ledger-entry"),
        chain: "bench-node",
        identity,
        fsync: "entry",
      });
      const perEntry = await driveSerially(
        () => perEntryLedger.append("movement", movement(0)),
        entrySeconds,
      );
      await perEntryLedger.close();
      const bareEntry = await bareFsyncPerLine(join(root, "bare-entry"));
      const barePerEntry = await driveSerially(() => bareEntry.append(line), entrySeconds);
      await bareEntry.close();

      return [
        result(
          "durable appends/s, group commit",
          group.perSecond,
          "entries/s",
          bareGroup.perSecond,
          { atLeast: 100_000 },
        ),
        result(
          `p99 append to durable at ${PACED_RATE / 1000}k appends/s`,
          percentile(paced.latencies, 99),
          "ms",
          percentile(barePaced.latencies, 99),
          { atMost: 25 },
        ),
        result(`verify (${threads} threads)`, verifyRate, "entries/s", parseHashRate, {
          atLeast: 250_000,
        }),
        // Per thread, verification should cost little more than parsing and hashing each line.
        result("verify, one thread", verifyOneThread, "entries/s", parseHashRate, {
          ratioAtLeast: 0.9,
        }),
        result("durable appends/s, one fsync per entry", perEntry, "entries/s", barePerEntry),
        result("stored entry size", lineBytes, "bytes", lineBytes),
      ];
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};

/** Entries/s of a whole verification, worker threads started included. */
async function verifyRateOf(
  dir: string,
  publicKey: import("node:crypto").KeyObject,
  threads: number,
): Promise<number> {
  const started = performance.now();
  const { result } = await verifyLedgerDirInParallel(dir, { publicKey, threads });
  if (!result.ok)
    throw new Error(`the benchmark ledger does not verify: ${result.reason} at ${result.seq}`);
  return result.count / ((performance.now() - started) / 1000);
}

/**
 * The verify baseline: the same lines, read the way verification reads them
 * (a chunk of lines at a time), only JSON.parse and SHA-256 each, in one thread.
 */
async function parseAndHashRateOf(dir: string): Promise<number> {
  const started = performance.now();
  let count = 0;
  for (const segment of await listSegments(dir)) {
    for await (const batch of readLineBatches(segment.path)) {
      for (const line of batch) {
        JSON.parse(line);
        hash("sha256", line);
        count++;
      }
    }
  }
  return count / ((performance.now() - started) / 1000);
}

async function averageLineBytes(dir: string): Promise<number> {
  let bytes = 0;
  let count = 0;
  for (const segment of await listSegments(dir)) {
    for await (const line of readLines(segment.path)) {
      bytes += Buffer.byteLength(line) + 1;
      if (++count >= 10_000) return Math.round(bytes / count);
    }
  }
  return count ? Math.round(bytes / count) : 0;
}

async function best(times: number, measure: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < times; i++) top = Math.max(top, await measure());
  return top;
}

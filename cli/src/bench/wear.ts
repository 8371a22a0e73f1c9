import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { serveSimulatedReader } from "@comptoir/simulators";
import { ensureBundle } from "./bundle.js";
import { type Bench, type BenchResult, result } from "./result.js";
import { startQuietGateway } from "./shelf-node-config.js";
import { bareWriter, dirBytes, readIo, type Written, written } from "./wear-io.js";
import {
  counterConfig,
  PRODUCT,
  shelfConfig,
  shelfScenario,
  startWearNode,
  till,
  type WearNode,
} from "./wear-site.js";

/*
 * SD wear: what a node makes the kernel write to its card in a day at a
 * steady load. Counted per process from /proc/<pid>/io write_bytes over a
 * window after start-up (the ledger, the stock snapshot, the lowdb files,
 * anything else it writes), then extrapolated. Not counted: the file
 * system's journal (written by the kernel's jbd2 thread, not the process)
 * and the logs, which go to stdout, so to the journal under systemd: their
 * bytes are printed for the record. A write rarer than the window may fall
 * outside it: the stock snapshot (rewritten whole at most every 10 minutes
 * or 5 000 entries) is printed with its size, to add at 144 rewrites a day.
 */

const SITE = "wear";
const DAY_S = 86_400;
/** Start-up (ledger verify, first resident reads) is left out of the window. */
const WARM_UP_S = 5;
/** The most stock snapshots a node writes in a day under steady load (one every 10 minutes). */
const SNAPSHOTS_A_DAY = 144;
/** The ledger's default group-commit windows (the baseline fsyncs on the same clock): see defaultCommitWindowMs. */
const DEFAULT_GROUP_COMMIT_MS = 10;
const SHELF_GROUP_COMMIT_MS = 1000;

interface Measured {
  written: Written;
  /** Growth of the ledger's files in the window: the payload the node must keep. */
  payload: number;
  entries: number;
  logBytes: number;
  /** The stock snapshot's size at the end: each rewrite costs that much. */
  snapshotBytes: number;
}

/** Entries in the node's ledger: one JSON line each in its segment files. */
async function ledgerEntries(node: WearNode): Promise<number> {
  const dir = join(node.dataDir, "ledger");
  let lines = 0;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.endsWith(".jsonl")) continue;
    const text = await readFile(join(dir, name), "utf8");
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  }
  return lines;
}

/** Samples the node at the window's start, runs `during` for `seconds`, samples again. */
async function measure(
  node: WearNode,
  seconds: number,
  during: (signal: AbortSignal) => Promise<void>,
): Promise<Measured> {
  const ledgerDir = join(node.dataDir, "ledger");
  const before = await readIo(node.pid);
  const payloadBefore = await dirBytes(ledgerDir);
  const entriesBefore = await ledgerEntries(node);
  const logsBefore = node.logBytes();
  const stop = new AbortController();
  const load = during(stop.signal);
  await sleep(seconds * 1000);
  stop.abort();
  await load;
  const after = await readIo(node.pid);
  if (before === undefined || after === undefined)
    throw new Error(`cannot read /proc/${node.pid}/io: the node process is gone`);
  return {
    written: written(before, after),
    payload: (await dirBytes(ledgerDir)) - payloadBefore,
    entries: (await ledgerEntries(node)) - entriesBefore,
    logBytes: node.logBytes() - logsBefore,
    snapshotBytes: 0,
  };
}

/** One sale a second through the till until aborted; the number sold. */
async function sellEverySecond(sell: () => Promise<void>, signal: AbortSignal): Promise<number> {
  let sold = 0;
  while (!signal.aborted) {
    const next = sleep(1000);
    await sell();
    sold++;
    await next;
  }
  return sold;
}

const perDayMb = (bytes: number, seconds: number) => (bytes / seconds) * (DAY_S / 1e6);

function figures(
  name: string,
  node: Measured,
  bare: Written,
  seconds: number,
  log: (line: string) => void,
  /** false: a setting shown for comparison, not one a node runs with by default. */
  withGoal = true,
): BenchResult[] {
  const counter = node.written.counter;
  const fallback =
    counter === "wchar" || bare.counter === "wchar"
      ? " (wchar: this file system does not account write_bytes, so every byte passed to write(2) counts, pipes and sockets included)"
      : "";
  const amplification = node.written.bytes / Math.max(1, node.payload);
  const bareAmplification = bare.bytes / Math.max(1, node.payload);
  log(
    `${name}: ${node.entries} ledger entries, ${(node.payload / 1024).toFixed(1)} KiB of ledger in ${seconds} s; ${counter} ${(node.written.bytes / 1024).toFixed(1)} KiB (cancelled ${(node.written.cancelled / 1024).toFixed(1)} KiB); stock snapshot ${(node.snapshotBytes / 1024).toFixed(1)} KiB a rewrite (${perDayMb(node.snapshotBytes * SNAPSHOTS_A_DAY, DAY_S).toFixed(1)} MB/day at ${SNAPSHOTS_A_DAY} a day, outside the window); logs ${(node.logBytes / 1024).toFixed(1)} KiB (${perDayMb(node.logBytes, seconds).toFixed(1)} MB/day to the journal); bare writer ${bare.counter} ${(bare.bytes / 1024).toFixed(1)} KiB${fallback}`,
  );
  return [
    result(
      `${name}: bytes written to the device, extrapolated to a day (${counter})`,
      perDayMb(node.written.bytes, seconds),
      "MB/day",
      perDayMb(bare.bytes, seconds),
      withGoal ? { atMost: 1000 } : undefined,
    ),
    result(
      `${name}: write amplification (${counter} / ledger bytes)`,
      amplification,
      "×",
      bareAmplification,
    ),
  ];
}

/** A measured node: its name in the report, its process, its commit window, its load. */
interface Subject {
  name: string;
  id: string;
  node: WearNode;
  windowMs: number;
  load: (signal: AbortSignal) => Promise<void>;
}

export const wearBench: Bench = {
  name: "wear",
  summary:
    "SD wear: bytes a shelf node (10 movements/s) and a counter node (1 sale/s) write to the device, a day at that rate",
  async run({ quick, log }) {
    if ((await readIo(process.pid)) === undefined)
      throw new Error("wear reads /proc/<pid>/io, which this system does not have");
    const seconds = quick ? 10 : 60;
    const bundle = await ensureBundle(log);
    log(`bundle: measuring ${bundle.entry} (${bundle.how})`);
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-wear-"));
    const gateway = await startQuietGateway(SITE, join(root, "gateway"));
    const readers: { close(): Promise<void> }[] = [];
    const nodes: WearNode[] = [];
    try {
      const products = await fetch(`${gateway.url}/api/v1/products`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${gateway.firstAdminToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          sku: PRODUCT.sku,
          name: PRODUCT.name,
          unitPrice: { amount: PRODUCT.price, currency: "EUR" },
          unitCost: { amount: PRODUCT.price / 2, currency: "EUR" },
        }),
      });
      if (!products.ok) throw new Error(`POST /products: ${await products.text()}`);

      // Two shelf nodes on the same scenario: a shelf's default commit window (1 s), and the
      // 10 ms of the other roles, for comparison (every movement its own commit).
      const subjects: Subject[] = [];
      for (const [id, windowMs] of [
        ["wear-shelf", SHELF_GROUP_COMMIT_MS],
        ["wear-shelf-10ms", DEFAULT_GROUP_COMMIT_MS],
      ] as const) {
        const reader = await serveSimulatedReader({
          protocol: "thingmagic",
          scenario: shelfScenario(WARM_UP_S + seconds + 5),
          rate: 2000,
        });
        readers.push(reader);
        const nodeDir = join(root, id);
        const config = await shelfConfig(
          gateway,
          { site: SITE, node: id, nodeDir, reader },
          windowMs === SHELF_GROUP_COMMIT_MS ? undefined : windowMs,
        );
        const node = await startWearNode(bundle.entry, config, join(nodeDir, "data"));
        nodes.push(node);
        subjects.push({
          name:
            windowMs === SHELF_GROUP_COMMIT_MS
              ? "shelf node"
              : `shelf node, ledger.groupCommitMs ${windowMs}`,
          id,
          node,
          windowMs,
          load: async () => {},
        });
      }
      const counterSetup = await counterConfig(gateway, SITE, join(root, "counter"));
      readers.push(counterSetup.reader);
      const counter = await startWearNode(
        bundle.entry,
        counterSetup.config,
        join(root, "counter", "data"),
      );
      nodes.push(counter);
      const sell = await till(counter.url, counterSetup.token);
      let sold = 0;
      subjects.push({
        name: "counter node",
        id: "wear-counter",
        node: counter,
        windowMs: DEFAULT_GROUP_COMMIT_MS,
        load: async (signal) => {
          sold = await sellEverySecond(sell, signal);
        },
      });
      await sleep(WARM_UP_S * 1000);

      log(`${subjects.length} nodes for ${seconds} s (after ${WARM_UP_S} s of start-up)…`);
      const stored = (id: string) => gateway.store.movements({ node: id, limit: 1e6 }).length;
      const storedBefore = subjects.map((subject) => stored(subject.id));
      const runs = await Promise.all(
        subjects.map((subject) => measure(subject.node, seconds, subject.load)),
      );
      const movements = subjects.map((subject, i) => stored(subject.id) - (storedBefore[i] ?? 0));
      log(
        `load: ${subjects
          .slice(0, 2)
          .map(
            (subject, i) =>
              `${subject.name} ${((movements[i] ?? 0) / seconds).toFixed(1)} movements/s`,
          )
          .join(", ")} stored by the gateway; counter ${(sold / seconds).toFixed(2)} sales/s`,
      );
      if (movements.slice(0, 2).some((count) => count === 0) || sold === 0)
        throw new Error("a shelf synced no movement or the counter sold nothing: no load ran");
      // A clean stop writes the stock snapshot: its size is what each periodic rewrite costs.
      for (const [i, subject] of subjects.entries()) {
        await subject.node.stop();
        const run = runs[i] as Measured;
        run.snapshotBytes =
          (await stat(join(subject.node.dataDir, "stock.json")).catch(() => undefined))?.size ?? 0;
      }

      log("baseline: a bare writer appending the same ledger bytes at the same pace…");
      const bare = await Promise.all(
        subjects.map((subject, i) =>
          bareWriter({
            path: join(root, `bare-${subject.id}.jsonl`),
            entries: runs[i]?.entries ?? 0,
            bytes: runs[i]?.payload ?? 0,
            seconds,
            windowMs: subject.windowMs,
          }),
        ),
      );
      return [
        ...subjects.flatMap((subject, i) =>
          figures(
            subject.name,
            runs[i] as Measured,
            bare[i] as Written,
            seconds,
            log,
            subject.id !== "wear-shelf-10ms",
          ),
        ),
        result(
          "shelf node: movements stored by the gateway",
          (movements[0] ?? 0) / seconds,
          "/s",
          10,
        ),
      ];
    } finally {
      for (const node of nodes) await node.stop();
      for (const reader of readers) await reader.close();
      await gateway.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

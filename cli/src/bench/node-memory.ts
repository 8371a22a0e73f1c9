import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { ensureBundle } from "./bundle.js";
import { type Bench, result } from "./result.js";
import { startQuietGateway, writeShelfNodeConfig } from "./shelf-node-config.js";
import { unitNodeFlags } from "./unit-flags.js";

/*
 * Where a shelf node's memory goes (Node 20 x64; process.memoryUsage(),
 * v8.getHeapSpaceStatistics(), heap snapshots at start, after 3 s and after
 * 28 s of this scenario, and each dependency imported alone with --expose-gc):
 * - about 41 MB is Node itself; mqtt.js (and the TLS, HTTP and WebSocket
 *   built-ins it loads) +15–18 MB, serialport +2–7 MB: the 60-odd MB of the
 *   baseline below, before any of our code;
 * - our code and its bundled dependencies: +9 MB of live heap at load
 *   (zod +2.9 MB with our 2 800 schemas on top, undici behind hono's
 *   Request/Response +1.8 MB, yaml +0.6 MB); the live heap stays 18–21 MB
 *   for the whole run (3 000 tag tracks are under 1 MB);
 * - everything else was garbage waiting for V8: by default the young
 *   generation grows to 2 × 16 MB semi-spaces under the read rate (it grows
 *   whenever enough objects survived since its last growth, so any busy
 *   process reaches the maximum), and promoted garbage takes the old space
 *   from 15 to 24 MB between major GCs;
 * - the ledger cursor allocated a fresh 256 KiB Buffer for every few new
 *   entries it sent: up to 28 MB of dead Buffers outside the JS heap at once
 *   (device/src/sync/cursor.ts now reuses one).
 * Fixed earlier: commands load lazily (one bundle chunk each), mqtt-packet's
 * message-id cache is off (device/src/sync/options.ts).
 * The unit runs the node with `--max-semi-space-size=1 --optimize-for-size
 * --v8-pool-size=1 --no-opt` (firmware-config/systemd/comptoir-node.service;
 * read from there below): 1 MB semi-spaces, old space grown in smaller
 * steps, one V8 helper thread (fewer malloc arenas), no TurboFan (its
 * compile zones stayed in RSS: about 3 MB). Peak 126–129 → 87–90 MB here;
 * the node's CPU time over the scenario 2.57 → 2.77 s (+8 %), since its live
 * data is small and its hot paths (SHA-256, fsync) are native.
 * Tried without effect: "sideEffects": false on our packages (the live heap
 * at load stayed 15.0 MB), --single-threaded-gc, --heap-growing-percent=20,
 * a smaller first buffer per ledger commit.
 */

const NODE = "mem-node";
const SITE = "bench";
const BAYS = ["shelf-a1", "shelf-a2", "shelf-a3", "shelf-a4"];
const GTINS = ["04012345123456", "04012345654325"];
const SAMPLE_MS = 200;
const POPULATIONS = 6;
const PER_POPULATION = 500;

/**
 * 3 000 tags on a four-bay shelf: six populations of 500 arrive over the
 * first 40 % of the run, each read once a second; half of them leave at
 * 70 % (picked, once the node's lost timeout has passed). About 3 000
 * reads/s and up to 4 500 movements synced.
 */
function shelfScenario(seconds: number) {
  const ms = seconds * 1000;
  return parseScenario({
    name: "shelf with a few thousand tags",
    populations: Array.from({ length: POPULATIONS }, (_, k) => ({
      count: PER_POPULATION,
      gtin: GTINS[k % GTINS.length] as string,
      firstSerial: 1 + k * 10_000,
      antennas: [(k % BAYS.length) + 1],
      from: Math.round((k * 0.4 * ms) / POPULATIONS),
      ...(k % 2 === 1 ? { to: Math.round(0.7 * ms) } : {}),
      rate: 1,
      rssi: -58,
    })),
  });
}

/** VmRSS of a process in MB, from /proc (Linux); undefined once it is gone. */
async function rssMb(pid: number): Promise<number | undefined> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

/** Samples a process's RSS every 200 ms until `until` resolves; the peak and the sample count. */
async function samplePeak(
  pid: number,
  until: Promise<unknown>,
): Promise<{ peak: number; samples: number }> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  let peak = 0;
  let samples = 0;
  while (!done) {
    const mb = await rssMb(pid);
    if (mb !== undefined) {
      peak = Math.max(peak, mb);
      samples++;
    }
    await sleep(SAMPLE_MS);
  }
  return { peak, samples };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * `comptoir node` from the bundle, as a device runs it (with the flags of
 * its systemd unit); `ready` resolves once it printed its local API.
 */
function spawnNode(
  entry: string,
  flags: readonly string[],
  config: string,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [...flags, entry, "node", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.includes("local API at ")) resolve();
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`comptoir node exited (${code ?? signal}) before it started:\n${stderr}`)),
    );
  });
  return { child, ready };
}

export const nodeMemoryBench: Bench = {
  name: "node-memory",
  summary: "resident memory of a comptoir node process during a 3 000-tag shelf scenario",
  async run({ quick, log }) {
    if ((await rssMb(process.pid)) === undefined)
      throw new Error("node-memory reads /proc/<pid>/status, which this system does not have");
    const seconds = quick ? 5 : 30;
    const bundle = await ensureBundle(log);
    log(`bundle: measuring ${bundle.entry} (${bundle.how})`);
    const flags = await unitNodeFlags(dirname(dirname(bundle.entry)), "comptoir-node.service");
    log(
      flags === undefined
        ? "node flags: no firmware-config/systemd/comptoir-node.service here; plain node"
        : `node flags, as comptoir-node.service starts it: ${flags.join(" ") || "(none)"}`,
    );
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-node-memory-"));
    const gateway = await startQuietGateway(SITE, join(root, "gateway"));
    const reader = await serveSimulatedReader({
      protocol: "thingmagic",
      scenario: shelfScenario(seconds),
      rate: 4000,
    });
    let child: ChildProcess | undefined;
    try {
      const config = await writeShelfNodeConfig({
        gateway,
        nodeDir: join(root, "node"),
        node: NODE,
        site: SITE,
        reader: { id: "aisle-a", url: reader.url },
        bays: BAYS,
        // A shelf reader with thousands of tags sees each about once a second.
        extra: { smoothing: { glimpsedTimeoutMs: 2500, lostTimeoutMs: 6000 } },
      });

      log(
        `node: ${POPULATIONS * PER_POPULATION} tags for ${seconds} s, RSS every ${SAMPLE_MS} ms…`,
      );
      const spawned = spawnNode(bundle.entry, flags ?? [], config);
      child = spawned.child;
      const pid = child.pid;
      if (pid === undefined) throw new Error("comptoir node has no pid");
      // Sampled from spawn (start-up included) until the scenario has run for `seconds`.
      let atStart = 0;
      const scenario = spawned.ready.then(async () => {
        atStart = (await rssMb(pid)) ?? 0;
        await sleep(seconds * 1000);
      });
      const node = await samplePeak(pid, scenario);
      await scenario;
      await stop(child);
      const movements = gateway.store.movements({ node: NODE, limit: 100_000 }).length;
      log(
        `node: peak ${node.peak.toFixed(1)} MB over ${node.samples} samples; gateway stored ${movements} movements`,
      );
      if (movements === 0)
        throw new Error("the gateway stored no movement from the node: the scenario did not run");

      // What any Node program talking to this broker and reader loads before
      // doing anything: mqtt.js and serialport (from the bundle's node_modules).
      log(`baseline: a bare node process with mqtt.js and serialport loaded, for ${seconds} s…`);
      const bare = spawn(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `await import("mqtt"); await import("serialport"); setTimeout(() => {}, ${seconds * 1000});`,
        ],
        { stdio: "ignore", cwd: dirname(dirname(bundle.entry)) },
      );
      const bareExit = new Promise<number | null>((resolve) => bare.once("exit", resolve));
      if (bare.pid === undefined) throw new Error("the bare node process has no pid");
      const baseline = await samplePeak(bare.pid, bareExit);
      if ((await bareExit) !== 0)
        throw new Error("the baseline process failed: are mqtt and serialport installed?");
      log(
        `baseline: peak ${baseline.peak.toFixed(1)} MB, ratio ${(node.peak / baseline.peak).toFixed(2)}`,
      );

      return [
        result("peak resident memory of the node process", node.peak, "MB", baseline.peak, {
          atMost: 90,
        }),
        result(
          "resident memory of the node once started, before reads",
          atStart,
          "MB",
          baseline.peak,
        ),
      ];
    } finally {
      if (child) await stop(child);
      await reader.close();
      await gateway.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

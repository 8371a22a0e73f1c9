import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { ensureBundle } from "./bundle.js";
import { type Bench, result } from "./result.js";
import { startQuietGateway, writeShelfNodeConfig } from "./shelf-node-config.js";
import { unitNodeFlags } from "./unit-flags.js";

const NODE = "start-node";
const SITE = "bench";
const BAYS = ["shelf-a1", "shelf-a2"];
const POLL_MS = 10;
const GIVE_UP_MS = 60_000;

/** A bare Node process that listens on HTTP and says where, as `comptoir node` does. */
const BARE_SERVER = `require("node:http").createServer((q, s) => s.end("ok")).listen(0, "127.0.0.1", function () {
  process.stdout.write("local API at http://127.0.0.1:" + this.address().port + "\\n");
});`;

/**
 * Spawns a process and measures from spawn until GET <its URL><path> answers
 * 200: the URL comes from its "local API at URL" line on stdout. Stops it
 * (SIGTERM) afterwards.
 */
async function timeToAnswer(args: string[], path: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await announcedUrl(child);
    for (;;) {
      const ok = await fetch(`${url}${path}`)
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status === 200;
        })
        .catch(() => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(`${url}${path} did not answer 200 within ${GIVE_UP_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  } finally {
    await stop(child);
  }
}

function announcedUrl(child: ChildProcess): Promise<string> {
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const url = /local API at (\S+)/.exec(stdout)?.[1];
      if (url) resolve(url.replace(/\/$/, ""));
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`the process exited (${code ?? signal}) before it listened:\n${stderr}`)),
    );
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

export const startBench: Bench = {
  name: "start",
  summary:
    "start to ready: spawning comptoir node (the bundle, with its unit's flags) until GET /health answers 200 — ledger verified, readers reading, gateway connected — next to a bare Node HTTP server's start",
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const bundle = await ensureBundle(log);
    const flags =
      (await unitNodeFlags(dirname(dirname(bundle.entry)), "comptoir-node.service")) ?? [];
    log(`bundle: ${bundle.entry} (${bundle.how}); node flags: ${flags.join(" ") || "(none)"}`);
    const root = await mkdtemp(join(tmpdir(), "comptoir-bench-start-"));
    const gateway = await startQuietGateway(SITE, join(root, "gateway"));
    const reader = await serveSimulatedReader({
      protocol: "thingmagic",
      scenario: parseScenario({
        name: "a shelf",
        populations: [{ count: 200, gtin: "04012345123456", antennas: [1, 2], rate: 1 }],
      }),
      rate: 400,
    });
    try {
      const config = await writeShelfNodeConfig({
        gateway,
        nodeDir: join(root, "node"),
        node: NODE,
        site: SITE,
        reader: { id: "aisle-a", url: reader.url },
        bays: BAYS,
      });
      // The same node started `runs` times: from the second start on, it verifies the
      // ledger the runs before wrote, as a node restarted by systemd does.
      const node: number[] = [];
      for (let run = 0; run < runs; run++) {
        node.push(
          await timeToAnswer([...flags, bundle.entry, "node", "--config", config], "/health"),
        );
        log(`node: ready in ${node.at(-1)?.toFixed(0)} ms`);
      }
      const bare: number[] = [];
      for (let run = 0; run < runs; run++) {
        bare.push(await timeToAnswer(["-e", BARE_SERVER], "/"));
        log(`baseline: a bare node -e HTTP server answered in ${bare.at(-1)?.toFixed(0)} ms`);
      }
      return [
        result(
          `comptoir node, spawn to /health 200 (median of ${runs})`,
          median(node),
          "ms",
          median(bare),
          { atMost: 1500 },
        ),
      ];
    } finally {
      await reader.close();
      await gateway.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { startQuietGateway, writeShelfNodeConfig } from "@comptoir/cli/bench/shelf-node-config";
import { generateIdentity, publicKeyPem, type StockRow } from "@comptoir/contracts";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { postProduct } from "./support/catalog.js";
import { runBin } from "./support/run-cli.js";

/**
 * The deployable bundle, as a device runs it: `npm run build`'s output in a
 * directory of its own, beside an installed node_modules (for the native
 * modules left outside the bundle), run with plain `node`, no tsx.
 */
const ROOT = join(import.meta.dirname, "..");
const NODE = "shelf-b";
const SITE = "lyon-1";
const BAYS = ["shelf-b1", "shelf-b2"];
const GTIN = "04012345123456";
/** The product the gateway's catalog gives that GTIN. */
const SKU = "SKU-CASE";
const PER_BAY = 15;

let deploy: string;
let bundle: string;

beforeAll(async () => {
  deploy = await mkdtemp(join(tmpdir(), "comptoir-bundle-"));
  await symlink(join(ROOT, "node_modules"), join(deploy, "node_modules"), "dir");
  const build = spawnSync(
    process.execPath,
    [
      join(ROOT, "scripts", "build.mjs"),
      "--outdir",
      join(deploy, "dist"),
      "--metafile",
      join(deploy, "meta.json"),
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  expect(build.status, build.stderr).toBe(0);
  bundle = join(deploy, "dist", "comptoir.mjs");
}, 120_000);

afterAll(async () => {
  if (deploy) await rm(deploy, { recursive: true, force: true });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const StockResponse = z.object({
  rows: z.array(
    z.object({
      sku: z.string().nullable(),
      gtin: z.string().optional(),
      zone: z.string(),
      count: z.number(),
    }),
  ),
});
const byZone = (a: StockRow, b: StockRow) => a.zone.localeCompare(b.zone);

const MetafileSchema = z.object({
  outputs: z.record(
    z.string(),
    z.object({
      entryPoint: z.string().optional(),
      inputs: z.record(z.string(), z.unknown()),
      imports: z.array(
        z.object({ path: z.string(), kind: z.string(), external: z.boolean().optional() }),
      ),
    }),
  ),
});

/**
 * What a command loads from the bundle: the entry's output and the
 * command's chunk, with every chunk they import statically (dynamic imports
 * are other commands, never loaded). Sources and external packages.
 */
async function loadedBy(command: string): Promise<{ sources: string[]; externals: string[] }> {
  const { outputs } = MetafileSchema.parse(
    JSON.parse(await readFile(join(deploy, "meta.json"), "utf8")),
  );
  const start = Object.keys(outputs).filter((path) =>
    ["cli/src/entry.ts", command].includes(outputs[path]?.entryPoint ?? ""),
  );
  expect(start).toHaveLength(2);
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const item of outputs[path]?.imports ?? []) {
      if (item.kind !== "import-statement") continue;
      if (item.external) externals.add(item.path);
      else visit(item.path);
    }
  };
  for (const path of start) visit(path);
  const sources = [...seen].flatMap((path) => Object.keys(outputs[path]?.inputs ?? {}));
  return { sources, externals: [...externals] };
}

describe("the bundle (dist/comptoir.mjs)", () => {
  it("lists the same commands, with the same help, as the TypeScript sources", () => {
    const fromBundle = spawnSync(process.execPath, [bundle, "--help"], { encoding: "utf8" });
    expect(fromBundle.status).toBe(0);
    expect(fromBundle.stdout).toBe(runBin(["--help"]).stdout);
    const nodeHelp = spawnSync(process.execPath, [bundle, "node", "--help"], { encoding: "utf8" });
    expect(nodeHelp.stdout).toBe(runBin(["node", "--help"]).stdout);
    // Two runs of the sources through tsx, on a busy machine.
  }, 120_000);

  it("loads for `comptoir node` none of the gateway, dashboard, benchmarks, broker, SQLite or browser", async () => {
    const unwanted = ({ sources, externals }: { sources: string[]; externals: string[] }) => [
      ...sources.filter((source) =>
        /^(gateway|dashboard)\/|^cli\/src\/bench\/|node_modules\/(aedes|playwright-core)\//.test(
          source,
        ),
      ),
      ...externals.filter((name) => /better-sqlite3|playwright/.test(name)),
    ];
    const node = await loadedBy("cli/src/commands/node-run.ts");
    expect(node.sources).toContain("device/src/sync/sync.ts");
    expect(unwanted(node)).toEqual([]);
    // The same check finds them in the gateway command (it is not vacuous).
    const gateway = await loadedBy("cli/src/commands/gateway-run.ts");
    expect(unwanted(gateway)).toContain("better-sqlite3");
    expect(unwanted(gateway).some((source) => source.startsWith("gateway/"))).toBe(true);
  });

  it("runs `comptoir node --config FILE`: reads become stock, synced to the gateway; SIGTERM exits 0", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-bundle-node-"));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const gateway = await startQuietGateway(SITE, join(root, "gateway"));
    cleanups.push(() => gateway.stop());
    const product = await postProduct(gateway.url, gateway.firstAdminToken, {
      sku: SKU,
      gtin: GTIN,
    });
    expect(product.status).toBe(201);
    const reader = await serveSimulatedReader({
      protocol: "thingmagic",
      scenario: parseScenario({
        name: "two bays",
        populations: BAYS.map((_, bay) => ({
          count: PER_BAY,
          gtin: GTIN,
          firstSerial: 1 + bay * 1000,
          antennas: [bay + 1],
          from: 0,
          rate: 3,
          rssi: -58,
        })),
      }),
      rate: 2000,
    });
    cleanups.push(() => reader.close());

    const config = await writeShelfNodeConfig({
      gateway,
      nodeDir: join(root, "node"),
      node: NODE,
      site: SITE,
      reader: { id: "aisle-b", url: reader.url },
      bays: BAYS,
      extra: { smoothing: { lostTimeoutMs: 60_000 } },
    });

    // A terminal token for the node's local API, made by the bundle as an installer would.
    const issued = spawnSync(
      process.execPath,
      [bundle, "node", "token", "create", "--config", config, "--name", "installer"],
      { encoding: "utf8" },
    );
    expect(issued.status, issued.stderr).toBe(0);
    const token = issued.stdout.trim().split("\n").at(-1) as string;

    const child = spawn(process.execPath, [bundle, "node", "--config", config], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    });

    const url = await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the node exited:\n${stderr}`);
        const match = /local API at (http:\/\/\S+)/.exec(stdout);
        if (!match?.[1]) throw new Error("not started yet");
        return match[1];
      },
      { timeout: 30_000, interval: 50 },
    );

    // The node counts the SGTIN items under their GTIN (a GTIN is never a SKU).
    const expected = BAYS.map((zone) => ({ sku: null, gtin: GTIN, zone, count: PER_BAY }));
    await vi.waitFor(
      async () => {
        const response = await fetch(`${url}/api/v1/stock`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const { rows } = StockResponse.parse(await response.json());
        expect(rows.sort(byZone)).toEqual(expected);
      },
      { timeout: 30_000, interval: 200 },
    );
    // Synced: the gateway verified and stored every movement, and folded the same stock,
    // under the product its catalog gives the GTIN.
    await vi.waitFor(
      () => {
        expect(gateway.store.movements({ node: NODE, limit: 1000 })).toHaveLength(
          BAYS.length * PER_BAY,
        );
        expect(gateway.store.stock().sort(byZone)).toEqual(
          BAYS.map((zone) => ({ sku: SKU, zone, count: PER_BAY })),
        );
      },
      { timeout: 30_000, interval: 100 },
    );

    child.kill("SIGTERM");
    expect(await exited, stderr).toBe(0);
  });

  it("starts the sync benchmark's gateway thread from its own file beside the bundle", async () => {
    const worker = new Worker(join(deploy, "dist", "sync-gateway.mjs"), {
      workerData: {
        site: SITE,
        node: NODE,
        mode: "verify",
        publicKeyPem: publicKeyPem(generateIdentity().publicKey),
      },
    });
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    cleanups.push(async () => {
      await worker.terminate();
    });
    const ready = await new Promise<unknown>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(ready).toMatchObject({ type: "ready", url: expect.stringMatching(/^mqtt:\/\//) });
    worker.postMessage({ type: "stop" });
    expect(await exited).toBe(0);
  });
});

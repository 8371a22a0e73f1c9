import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { parseScenario, serveSimulatedReader } from "@comptoir/simulators";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { z } from "zod";

/**
 * The release as a site gets it: `npm run release`'s tarball, unpacked and
 * installed by its install.sh under a fresh prefix (the script's path
 * overrides; no service user, no systemd reload), then a gateway and a
 * node run from the installed files with plain node, as the units run them.
 * The install runs `npm ci --omit=dev` against the registry once for the
 * file (better-sqlite3 may compile: minutes on a busy machine).
 */
const ROOT = join(import.meta.dirname, "..");
const NODE = "shelf-r";
const SITE = "site-1"; // the site of the gateway.yaml install.sh writes
const BAYS = ["shelf-r1", "shelf-r2"];
const PER_BAY = 12;

/** What the test reads of the gateway's answers. */
const Enrolled = z.object({
  mqtt: z.object({ username: z.string(), password: z.string(), ca: z.string().optional() }),
  gateway: z.object({ publicKey: z.string() }),
});
const Movements = z.object({ movements: z.array(z.unknown()) });
const NodeView = z.object({
  status: z.string(),
  verifiedSeq: z.number(),
  chain: z.object({ state: z.string() }),
});

let work: string;
let tarball: string;
let unpacked: string;
const paths = {
  prefix: "",
  etc: "",
  var: "",
  systemd: "",
  udev: "",
  bin: "",
};
let firstInstall: Run;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The environment of a fresh machine with Node.js: node and npm on PATH
 * beside the system's tools, the user's npm settings kept (registry, cache),
 * nothing of this repository's npm run (its workspace, its package) and no
 * COMPTOIR_ variable of the test run.
 */
function machineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(COMPTOIR_|npm_lifecycle_|npm_package_|INIT_CWD$)/.test(name)) continue;
    if (/^npm_config_(workspaces?|global|prefix|local_prefix|include_workspace_root)$/i.test(name))
      continue;
    env[name] = value;
  }
  env.PATH = [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter);
  return { ...env, ...extra };
}

/** The layout of an install under `root`, as install.sh's variables give it. */
function layout(root: string): typeof paths {
  return {
    prefix: join(root, "opt", "comptoir"),
    etc: join(root, "etc", "comptoir"),
    var: join(root, "var", "lib", "comptoir"),
    systemd: join(root, "etc", "systemd", "system"),
    udev: join(root, "etc", "udev", "rules.d"),
    bin: join(root, "usr", "local", "bin"),
  };
}

function installEnv(at: typeof paths, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return machineEnv({
    COMPTOIR_PREFIX: at.prefix,
    COMPTOIR_ETC: at.etc,
    COMPTOIR_VAR: at.var,
    COMPTOIR_SYSTEMD_DIR: at.systemd,
    COMPTOIR_UDEV_DIR: at.udev,
    COMPTOIR_BIN_DIR: at.bin,
    COMPTOIR_SKIP_USER: "1",
    COMPTOIR_NO_RELOAD: "1",
    ...extra,
  });
}

const runInstall = (at: typeof paths, extra: Record<string, string> = {}) =>
  run("sh", [join(unpacked, "install.sh")], installEnv(at, extra), work);

const install = () =>
  runInstall(paths).then((result) => {
    if (result.code !== 0)
      throw new Error(`install.sh failed:\n${result.stdout}\n${result.stderr}`);
    return result;
  });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "comptoir-release-"));
  // Node would find packages in any node_modules above the prefix: there must be none,
  // or the installed files could run on modules the install did not put there.
  for (let dir = dirname(work); dir !== dirname(dir); dir = dirname(dir))
    expect(existsSync(join(dir, "node_modules")), `${dir}/node_modules exists`).toBe(false);
  Object.assign(paths, layout(join(work, "root")));

  const release = await run(
    process.execPath,
    ["--import", "tsx", join(ROOT, "scripts", "release.ts"), "--outdir", join(work, "out")],
    process.env,
    ROOT,
  );
  expect(release.code, release.stderr).toBe(0);
  tarball = release.stdout.trim().split("\n").at(-1) as string;
  const version = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")).version;
  expect(tarball).toBe(join(work, "out", `comptoir-${version}.tar.gz`));
  await mkdir(join(work, "unpack"));
  const untar = await run("tar", ["xzf", tarball, "-C", join(work, "unpack")], process.env, work);
  expect(untar.code, untar.stderr).toBe(0);
  unpacked = join(work, "unpack", `comptoir-${version}`);
  firstInstall = await install();
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<number | null>;
}

/** A command of the installed CLI, running until stopped; resolves once its stdout matches. */
async function startInstalled(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Started> {
  const child = spawn(process.execPath, [join(paths.prefix, "dist", "comptoir.mjs"), ...args], {
    env: machineEnv(env),
    cwd: work,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const started: Started = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  await vi.waitFor(
    () => {
      if (child.exitCode !== null)
        throw new Error(`comptoir ${args[0]} exited:\n${stdout}\n${stderr}`);
      if (!ready.test(stdout)) throw new Error(`not started yet:\n${stdout}\n${stderr}`);
    },
    { timeout: 60_000, interval: 100 },
  );
  return started;
}

/** The installed gateway, with the gateway.yaml install.sh wrote, on ephemeral loopback ports. */
async function startGateway() {
  const gateway = await startInstalled(
    ["gateway", "--config", join(paths.etc, "gateway.yaml")],
    {
      COMPTOIR_HTTP_LISTEN: "127.0.0.1:0",
      COMPTOIR_MQTT_EMBEDDED_HOST: "127.0.0.1",
      COMPTOIR_MQTT_EMBEDDED_PORT: "0",
      // TLS with the site CA, as off loopback.
      COMPTOIR_MQTT_EMBEDDED_TLS: "true",
    },
    /MQTT +mqtts:\/\/\S+/,
  );
  const url = /dashboard and API +(http:\/\/\S+?)\/? /.exec(gateway.stdout())?.[1] as string;
  const mqttUrl = /MQTT +(mqtts:\/\/\S+)/.exec(gateway.stdout())?.[1] as string;
  const token = (await readFile(join(paths.var, "gateway", "admin-token"), "utf8")).trim();
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  return { ...gateway, url, mqttUrl, api };
}

/** Every file under a directory with a digest of its content. */
async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return out;
}

describe("the release tarball and install.sh", () => {
  it("holds the bundle, a production package.json and lock, the units, the udev rules, the examples and install.sh", async () => {
    const listing = await run("tar", ["tzf", tarball], process.env, work);
    const top = `${unpacked.slice(unpacked.lastIndexOf("/") + 1)}/`;
    const files = listing.stdout.split("\n").filter((line) => line && !line.endsWith("/"));
    expect(files.every((file) => file.startsWith(top))).toBe(true);
    const inside = files.map((file) => file.slice(top.length));
    expect(inside).toEqual(
      expect.arrayContaining([
        "install.sh",
        "INSTALL.md",
        "dist/comptoir.mjs",
        "package.json",
        "package-lock.json",
        "udev/99-comptoir-readers.rules",
        "examples/gateway.yaml",
        "examples/shelf.yaml",
        "schema/node.schema.json",
      ]),
    );
    const units = (await readdir(join(ROOT, "firmware-config", "systemd"))).filter((file) =>
      file.endsWith(".service"),
    );
    expect(units.sort()).toEqual(["comptoir-gateway.service", "comptoir-node.service"]);
    for (const unit of units) expect(inside).toContain(`systemd/${unit}`);

    const manifest = JSON.parse(await readFile(join(unpacked, "package.json"), "utf8"));
    expect(manifest).not.toHaveProperty("devDependencies");
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@serialport/stream", "serialport"]);
    expect(Object.keys(manifest.optionalDependencies)).toEqual(["better-sqlite3"]);
    const lock = JSON.parse(await readFile(join(unpacked, "package-lock.json"), "utf8"));
    expect(Object.keys(lock.packages)).not.toContain("node_modules/vitest");
  });

  it("installs under the prefix: program files, modules, starter configs, data directories, units, rules, the command", async () => {
    expect(firstInstall.stdout).toContain("npm ci --omit=dev");
    expect(existsSync(join(paths.prefix, "node_modules", "better-sqlite3", "package.json"))).toBe(
      true,
    );
    expect(existsSync(join(paths.prefix, "node_modules", "vitest"))).toBe(false);
    expect(existsSync(join(paths.udev, "99-comptoir-readers.rules"))).toBe(true);
    for (const dir of ["node", "gateway"]) expect(existsSync(join(paths.var, dir))).toBe(true);
    const nodeYaml = await readFile(join(paths.etc, "node.yaml"), "utf8");
    expect(nodeYaml).toContain(`dataDir: ${join(paths.var, "node")}`);
    const gatewayYaml = await readFile(join(paths.etc, "gateway.yaml"), "utf8");
    expect(gatewayYaml).toContain(`dataDir: ${join(paths.var, "gateway")}`);
    // Each unit names this install's paths, not the defaults the repository's copy has.
    const nodeOnPath = join(dirname(process.execPath), "node");
    for (const role of ["node", "gateway"]) {
      const installed = await readFile(join(paths.systemd, `comptoir-${role}.service`), "utf8");
      expect(installed).toContain(
        `ExecStart=${nodeOnPath} ${role === "node" ? "--max-semi-space-size=1 --optimize-for-size --v8-pool-size=1 --no-opt " : ""}${join(paths.prefix, "dist", "comptoir.mjs")} ${role} --config ${join(paths.etc, `${role}.yaml`)}`,
      );
      expect(installed).toContain(`ReadWritePaths=${paths.var}`);
    }
    // The command on PATH: a link to the bundle, which runs with node from PATH.
    const help = await run(join(paths.bin, "comptoir"), ["--help"], machineEnv(), work);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("node init");
  });

  it("runs a gateway and a node from the installed files: the node is enrolled and its reads reach the gateway", async () => {
    const gateway = await startGateway();
    const reader = await serveSimulatedReader({
      protocol: "thingmagic",
      scenario: parseScenario({
        name: "two bays",
        populations: BAYS.map((_, bay) => ({
          count: PER_BAY,
          gtin: "04012345123456",
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

    // The installer edits node.yaml (keeping the data directory install.sh chose),
    // creates the node's identity, enrolls it, and adds the MQTT answer.
    const config = join(paths.etc, "node.yaml");
    const node = {
      node: { id: NODE, site: SITE, role: "shelf", dataDir: join(paths.var, "node") },
      readers: [
        {
          id: "aisle-r",
          protocol: "thingmagic",
          url: reader.url,
          antennas: BAYS.map((zone, i) => ({ port: i + 1, zone })),
        },
      ],
      smoothing: { lostTimeoutMs: 60_000 },
      http: { listen: "127.0.0.1:0" },
      log: { level: "warn" },
    };
    await writeFile(config, stringify(node));
    const init = await run(
      join(paths.bin, "comptoir"),
      ["node", "init", "--config", config],
      machineEnv(),
      work,
    );
    expect(init.code, init.stderr).toBe(0);
    const publicKey = /public key \(hex\): ([0-9a-f]{64})/.exec(init.stdout)?.[1];
    const enrolled = await gateway.api("POST", "/nodes", { id: NODE, publicKey });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
    const answer = Enrolled.parse(enrolled.body);
    await writeFile(
      config,
      stringify({
        ...node,
        mqtt: {
          url: gateway.mqttUrl,
          ...answer.mqtt,
          gatewayKey: answer.gateway.publicKey,
        },
      }),
    );

    const running = await startInstalled(
      ["node", "--config", config],
      {},
      /local API at http:\/\/\S+/,
    );
    const expected = BAYS.length * PER_BAY;
    await vi.waitFor(
      async () => {
        const { body } = await gateway.api("GET", `/movements?node=${NODE}&limit=1000`);
        expect(Movements.parse(body).movements).toHaveLength(expected);
        const view = NodeView.parse((await gateway.api("GET", `/nodes/${NODE}`)).body);
        expect(view).toMatchObject({ status: "online", chain: { state: "ok" } });
        expect(view.verifiedSeq).toBeGreaterThanOrEqual(expected);
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(await running.stop(), running.stderr()).toBe(0);
    expect(await gateway.stop(), gateway.stderr()).toBe(0);
  }, 180_000);

  it("run again, keeps edited configs and data, replaces the program files and skips an unchanged npm ci", async () => {
    // The operator's edits, and what the last test's gateway and node stored.
    await appendFile(join(paths.etc, "gateway.yaml"), "# edited by the operator\n");
    const configs = await digests(paths.etc);
    const data = await digests(paths.var);
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining([join("node", "identity.key"), join("gateway", "admin-token")]),
    );
    const stale = join(paths.prefix, "dist", "chunk-FROM-AN-OLD-VERSION.mjs");
    await writeFile(stale, "// an old release's chunk\n");

    const again = await install();
    expect(again.stdout).toContain("npm ci skipped");
    expect(again.stdout).toContain(`kept ${join(paths.etc, "node.yaml")}`);
    expect(await digests(paths.etc)).toEqual(configs);
    expect(existsSync(stale)).toBe(false);
    // The gateway's store may checkpoint on stop; nothing the install did touched the data.
    expect(await digests(paths.var)).toEqual(data);

    // Still a working install: the gateway restarts on its data and knows the node's chain.
    const gateway = await startGateway();
    const { body } = await gateway.api("GET", `/nodes/${NODE}`);
    expect(NodeView.parse(body).verifiedSeq).toBeGreaterThanOrEqual(BAYS.length * PER_BAY);
    expect(await gateway.stop(), gateway.stderr()).toBe(0);
  }, 180_000);

  it("installs a node without SQLite when COMPTOIR_ROLE=node: nothing to download or compile, no gateway.yaml", async () => {
    const at = layout(join(work, "node-only"));
    const result = await runInstall(at, { COMPTOIR_ROLE: "node" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("npm ci --omit=dev --omit=optional");
    expect(existsSync(join(at.prefix, "node_modules", "serialport"))).toBe(true);
    expect(existsSync(join(at.prefix, "node_modules", "better-sqlite3"))).toBe(false);
    expect(existsSync(join(at.etc, "node.yaml"))).toBe(true);
    expect(existsSync(join(at.etc, "gateway.yaml"))).toBe(false);
    expect(existsSync(join(at.var, "node"))).toBe(true);
    expect(existsSync(join(at.var, "gateway"))).toBe(false);
    // The node command's code (serial ports, MQTT, the ledger) loads from that install.
    const help = await run(join(at.bin, "comptoir"), ["node", "--help"], machineEnv(), work);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("--config");
    // The gateway cannot run there, and says so in one line; the listing still works.
    const overview = await run(join(at.bin, "comptoir"), ["--help"], machineEnv(), work);
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stdout).toMatch(
      / gateway +\(not available in this installation: needs better-sqlite3/,
    );
    const gateway = await run(
      join(at.bin, "comptoir"),
      ["gateway", "--config", join(paths.etc, "gateway.yaml")],
      machineEnv(),
      work,
    );
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toMatch(
      /^comptoir gateway: needs the package better-sqlite3, which this installation does not have — .*COMPTOIR_ROLE=gateway/,
    );
  });

  it("refuses an unknown role before writing anything, saying which there are", async () => {
    const at = layout(join(work, "bad-role"));
    const result = await runInstall(at, { COMPTOIR_ROLE: "server" });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "comptoir install: COMPTOIR_ROLE=server: must be node, gateway or all\n",
    );
    expect(existsSync(join(work, "bad-role"))).toBe(false);
  });
});

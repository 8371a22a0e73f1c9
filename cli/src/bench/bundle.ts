import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What the build reads: if any is newer than the bundle, the bundle is stale. */
const SOURCES = [
  "cli/src",
  "contracts/src",
  "device/src",
  "gateway/src",
  "dashboard/src",
  "firmware-config/src",
  "simulators/src",
  "scripts/build.mjs",
  "package-lock.json",
];

export interface Bundle {
  /** dist/comptoir.mjs, as a device runs it. */
  entry: string;
  /** How it was found, for the report: "running", "up to date" or "built now". */
  how: string;
}

/**
 * The deployable bundle, which is what a device runs (never tsx): the very
 * bundle when this process is one; otherwise dist/comptoir.mjs, rebuilt
 * with scripts/build.mjs when missing or older than a source file.
 */
export async function ensureBundle(log: (line: string) => void): Promise<Bundle> {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith(".ts")) return { entry: join(dirname(here), "comptoir.mjs"), how: "running" };
  const root = projectRoot(dirname(here));
  const entry = join(root, "dist", "comptoir.mjs");
  const built = existsSync(entry) ? (await stat(entry)).mtimeMs : undefined;
  if (built !== undefined && (await newest(root, SOURCES)) <= built)
    return { entry, how: "up to date" };
  log(built === undefined ? "bundle: missing, building…" : "bundle: stale, rebuilding…");
  await run(process.execPath, [join(root, "scripts", "build.mjs")], root);
  return { entry, how: "built now" };
}

function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "scripts", "build.mjs"))) return dir;
  }
  throw new Error(`no scripts/build.mjs above ${from}: cannot build the bundle`);
}

/** The newest modification time among files under `paths` (node_modules skipped). */
async function newest(root: string, paths: string[]): Promise<number> {
  let latest = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) {
      latest = Math.max(latest, info.mtimeMs);
      return;
    }
    for (const name of await readdir(path)) {
      if (name !== "node_modules") await visit(join(path, name));
    }
  };
  for (const path of paths) await visit(join(root, path));
  return latest;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`scripts/build.mjs failed (${code}):\n${stderr.trim()}`)),
    );
  });
}

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BrowserAssetsSchema, hashInputs, readCache, sha256, writeCache } from "./cache.js";
import { BROWSER_BUILD_OPTIONS, bundleWithEsbuild } from "./esbuild.js";
import type { BrowserAssets, BrowserBundleSpec } from "./types.js";

/** The folder with the workspaces' package.json above `from` (the repository), else `from`'s own folder. */
export function projectRoot(from: string): string {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && /"workspaces"\s*:/.test(readFileSync(manifest, "utf8"))) return dir;
  }
  return dirname(from);
}

/** Where built bundles are kept between runs: beside the installed packages, never in git. */
export function cacheDir(root: string): string {
  return join(root, "node_modules", ".cache", "comptoir", "browser");
}

async function esbuildVersion(): Promise<string> {
  const { version } = await import("esbuild");
  return version;
}

/** The bundle from the disk cache while its sources are unchanged, else built and cached (not memoized). */
export async function buildOrReadCache(spec: BrowserBundleSpec): Promise<BrowserAssets> {
  const first = Object.values(spec.entryPoints)[0];
  if (first === undefined) throw new Error(`browser bundle ${spec.name} has no entry point`);
  const root = projectRoot(first);
  const dir = cacheDir(root);
  const file = join(dir, `${spec.name}.json`);
  const key = sha256(
    JSON.stringify({
      esbuild: await esbuildVersion(),
      options: BROWSER_BUILD_OPTIONS,
      entries: spec.entryPoints,
    }),
  );
  const cached = await readCache(file, root, key);
  if (cached) return cached;
  const built = await bundleWithEsbuild(spec, root);
  const hashes = await hashInputs(root, built.inputs);
  const inputs = Object.fromEntries(
    Object.entries(hashes).filter((pair): pair is [string, string] => pair[1] !== undefined),
  );
  // No cache (a read-only checkout) only costs a build at the next start.
  await writeCache(file, dir, { key, inputs, assets: built.assets }).catch(() => undefined);
  return built.assets;
}

const loading = new Map<string, Promise<BrowserAssets>>();

/** The embedded bundle (JSON text from the dist build, parsed here), or one built or read from the cache. */
async function load(spec: BrowserBundleSpec): Promise<BrowserAssets> {
  if (typeof spec.embedded === "string") {
    const parsed = BrowserAssetsSchema.safeParse(JSON.parse(spec.embedded));
    if (!parsed.success)
      throw new Error(
        `the embedded browser bundle ${spec.name} is damaged: ${parsed.error.message}`,
      );
    return parsed.data;
  }
  if (spec.embedded) return spec.embedded;
  return buildOrReadCache(spec);
}

/**
 * A bundle's files (name → body and content type): the one the dist build
 * embedded when there is one; otherwise built with esbuild, or taken from the
 * disk cache while none of its sources changed. Once per bundle and process:
 * a route may ask on every request.
 */
export function loadBrowserBundle(spec: BrowserBundleSpec): Promise<BrowserAssets> {
  const key = `${spec.name}\u0000${typeof spec.embedded}\u0000${JSON.stringify(spec.entryPoints)}`;
  let pending = loading.get(key);
  if (!pending) {
    pending = load(spec);
    loading.set(key, pending);
    pending.catch(() => loading.delete(key));
  }
  return pending;
}

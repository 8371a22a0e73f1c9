import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { BrowserAssets } from "./types.js";

/**
 * A built bundle on disk, with what it was built from: the build's own key
 * (esbuild's version, the entries) and the hash of every source esbuild read.
 * It is reused only while all of them still match, so a changed source, a new
 * import (its importer changed) or an esbuild upgrade rebuilds.
 */
const CacheFile = z.object({
  key: z.string(),
  inputs: z.record(z.string(), z.string()),
  assets: z.record(z.string(), z.object({ body: z.string(), type: z.string() })),
});
type CacheFile = z.infer<typeof CacheFile>;

/** A bundle's files as JSON (the cache's, or the dist build's embedded text): checked, not cast. */
export const BrowserAssetsSchema = CacheFile.shape.assets;

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hashes of these files (relative to `root`); undefined for one that cannot be read. */
export async function hashInputs(
  root: string,
  inputs: readonly string[],
): Promise<Record<string, string | undefined>> {
  const hashes = await Promise.all(
    inputs.map((input) => readFile(join(root, input)).then(sha256, () => undefined)),
  );
  return Object.fromEntries(inputs.map((input, i) => [input, hashes[i]]));
}

/** The cached assets, when the cache file exists, has this key and every input still hashes the same. */
export async function readCache(
  file: string,
  root: string,
  key: string,
): Promise<BrowserAssets | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let cached: CacheFile;
  try {
    cached = CacheFile.parse(JSON.parse(text));
  } catch {
    return undefined; // a cache from another version, or damaged: build again
  }
  if (cached.key !== key) return undefined;
  const now = await hashInputs(root, Object.keys(cached.inputs));
  const same = Object.entries(cached.inputs).every(([input, hash]) => now[input] === hash);
  return same ? cached.assets : undefined;
}

/**
 * Writes the cache file whole or not at all (a temporary file, then rename):
 * many test workers may build at once, and a reader never sees half a file.
 */
export async function writeCache(file: string, dir: string, entry: CacheFile): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheDir, loadBrowserBundle } from "./index.js";
import { buildOrReadCache } from "./load.js";

let root: string;
let entry: string;

/** A throwaway project: a workspaces package.json (its root) and one browser entry. */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "comptoir-browser-build-"));
  await writeFile(join(root, "package.json"), JSON.stringify({ workspaces: [] }));
  await mkdir(join(root, "src", "browser"), { recursive: true });
  entry = join(root, "src", "browser", "main.ts");
  await writeFile(
    join(root, "src", "browser", "shared.ts"),
    'export const word: string = "one";\n',
  );
  await writeFile(entry, 'import { word } from "./shared.js";\ndocument.title = word;\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("browser bundles", () => {
  it("bundles with esbuild, keeps the result on disk, reuses it while no source changed, rebuilds when one did", async () => {
    const spec = { name: "dashboard", entryPoints: { main: entry } };
    const first = await buildOrReadCache(spec);
    expect(Object.keys(first).sort()).toEqual(["main.js", "main.js.map"]);
    expect(first["main.js"]?.type).toBe("text/javascript; charset=utf-8");
    expect(first["main.js"]?.body).toContain('"one"');

    const file = join(cacheDir(root), "dashboard.json");
    const cached = JSON.parse(await readFile(file, "utf8"));
    expect(Object.keys(cached.inputs).sort()).toEqual([
      "src/browser/main.ts",
      "src/browser/shared.ts",
    ]);

    // Unchanged sources: the cache file is read, not written again.
    const written = (await stat(file)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await buildOrReadCache(spec);
    expect(again["main.js"]?.body).toBe(first["main.js"]?.body);
    expect((await stat(file)).mtimeMs).toBe(written);

    // An imported file changed: built again.
    await writeFile(
      join(root, "src", "browser", "shared.ts"),
      'export const word: string = "two";\n',
    );
    const rebuilt = await buildOrReadCache(spec);
    expect(rebuilt["main.js"]?.body).toContain('"two"');
    expect((await stat(file)).mtimeMs).toBeGreaterThan(written);
  });

  it("takes the dist build's embedded JSON text as is, parsed once per process, building nothing", async () => {
    const embedded = JSON.stringify({ "main.js": { body: "x", type: "text/javascript" } });
    const spec = { name: "embedded-test", entryPoints: { main: entry }, embedded };
    const a = await loadBrowserBundle(spec);
    expect(a["main.js"]?.body).toBe("x");
    expect(await loadBrowserBundle(spec)).toBe(a);
    await expect(stat(join(cacheDir(root), "embedded-test.json"))).rejects.toThrow();
  });
});

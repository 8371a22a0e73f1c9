import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * The URL to start a worker thread with, for a worker module `name` that
 * sits beside the module at `from` (its import.meta.url).
 *
 * From the bundle (plain JavaScript), that is `name.mjs`, which
 * scripts/build.mjs writes as an entry point beside every chunk. From the
 * sources, a small module that registers tsx and then imports `name.ts`: a
 * worker does not inherit the hooks the parent registered through tsx's API
 * (as bin/comptoir.mjs and the test runner do), and would fail on the .ts
 * extension.
 */
export function workerEntry(from: string, name: string): URL {
  if (!from.endsWith(".ts")) return new URL(`./${name}.mjs`, from);
  const tsx = tsxApi(from);
  const target = new URL(`./${name}.ts`, from).href;
  const code = `import { register } from ${JSON.stringify(tsx)};
register();
await import(${JSON.stringify(target)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** tsx's ESM API module (its CommonJS twin cannot register hooks from a data: URL). */
function tsxApi(from: string): string {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    // Runners without import.meta.resolve: the package's CommonJS entry sits beside the ESM one.
    const cjs = createRequire(from).resolve("tsx/esm/api");
    return pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
  }
}

// Bundles the CLI into dist/ for deployment on a node or gateway: the device
// runs plain JavaScript and never compiles TypeScript itself.
// Native modules stay outside the bundle and are installed with `npm ci --omit=dev`;
// playwright-core (a dev dependency, for browser benchmarks and tests) too.
//
// Code splitting: the CLI loads each command with a dynamic import, and each
// becomes its own chunk beside dist/comptoir.mjs, so `comptoir node` never
// parses the gateway, the broker or the benchmarks (resident memory on a Pi).
// Worker threads are extra entry points, found beside the chunk that starts
// them (`new URL("./sync-gateway.mjs", import.meta.url)`, contracts/src/worker-entry.ts):
// keep every output file flat in the one directory.
//
// Browser code (the dashboard, the node's pages) is bundled first, by
// scripts/write-browser-bundles.ts, and embedded into the CLI as constants
// (esbuild's `define`, one per bundle: see embeddedName in
// contracts/src/browser-build): a deployed node or gateway needs neither
// esbuild nor extra files. esbuild stays external for the development path
// that is never taken once a bundle is embedded.
//
// usage: node scripts/build.mjs [--outdir DIR] [--metafile FILE]   (default dist; the
// metafile is esbuild's: which sources each output holds, and its imports)
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({
  options: { outdir: { type: "string", default: "dist" }, metafile: { type: "string" } },
});

/** { COMPTOIR_BROWSER_BUNDLE_<NAME>: its assets as JSON text } for every browser bundle. */
async function browserBundleDefines() {
  const scratch = await mkdtemp(join(tmpdir(), "comptoir-browser-"));
  try {
    const out = join(scratch, "bundles.json");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/write-browser-bundles.ts", out],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (run.status !== 0) throw new Error("building the browser bundles failed");
    return JSON.parse(await readFile(out, "utf8"));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const define = await browserBundleDefines();
await rm(values.outdir, { recursive: true, force: true });
const built = await build({
  entryPoints: {
    comptoir: "cli/src/entry.ts",
    "sync-gateway": "cli/src/bench/sync-gateway.ts",
    "verify-worker": "device/src/ledger/verify-worker.ts",
    "factur-x-worker": "gateway/src/invoice-files/factur-x-worker.ts",
    "audit-chain-worker": "gateway/src/audit/audit-chain-worker.ts",
    "segment-worker": "gateway/src/ingest/segment-worker.ts",
  },
  outdir: values.outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  external: ["serialport", "@serialport/*", "better-sqlite3", "playwright-core", "esbuild"],
  define,
  banner: {
    js: [
      "#!/usr/bin/env node",
      // Some bundled CommonJS dependencies call require(); give them one (in every chunk).
      "import { createRequire as __createRequire } from 'node:module';",
      "const require = __createRequire(import.meta.url);",
    ].join("\n"),
  },
  logLevel: "warning",
  metafile: values.metafile !== undefined,
});
if (values.metafile) await writeFile(values.metafile, JSON.stringify(built.metafile));
process.stdout.write(`built ${values.outdir}/comptoir.mjs\n`);

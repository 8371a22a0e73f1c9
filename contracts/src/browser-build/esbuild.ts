import { relative } from "node:path";
import type { BrowserAsset, BrowserAssets, BrowserBundleSpec } from "./types.js";

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

function typeOf(name: string): string {
  const extension = name.slice(name.lastIndexOf("."));
  return TYPES[extension] ?? "application/octet-stream";
}

/** How every browser bundle is built; part of the disk cache's key, so that a change here rebuilds. */
export const BROWSER_BUILD_OPTIONS = {
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
} as const;

/** What one esbuild run gives: the files, and the sources it read (relative to `root`). */
export interface Built {
  assets: BrowserAssets;
  inputs: string[];
}

/**
 * Bundles the spec's entries with esbuild, in memory: minified ES modules for
 * current browsers, split into shared chunks when several entries share
 * code, with source maps as separate assets (`main.js.map`).
 * esbuild is a development dependency: imported here only, and only when a
 * bundle was not embedded by the dist build.
 */
export async function bundleWithEsbuild(spec: BrowserBundleSpec, root: string): Promise<Built> {
  const { build } = await import("esbuild");
  const outdir = `${root}/.browser-out/${spec.name}`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: { ...spec.entryPoints },
    outdir,
    ...BROWSER_BUILD_OPTIONS,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const assets: Record<string, BrowserAsset> = {};
  for (const file of result.outputFiles) {
    const name = relative(outdir, file.path).split("\\").join("/");
    assets[name] = { body: file.text, type: typeOf(name) };
  }
  return { assets, inputs: Object.keys(result.metafile.inputs) };
}

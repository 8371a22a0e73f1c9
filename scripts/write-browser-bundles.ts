// Writes every browser bundle to one JSON file, for scripts/build.mjs to embed.
//
// usage: node --import tsx scripts/write-browser-bundles.ts OUT.json
//   writes { [bundle name]: { [file]: { body, type } } }
import { writeFile } from "node:fs/promises";
import { buildBrowserBundles } from "./browser-bundles.js";

const out = process.argv[2];
if (out === undefined) throw new Error("usage: write-browser-bundles.ts OUT.json");
await writeFile(out, JSON.stringify(await buildBrowserBundles()));

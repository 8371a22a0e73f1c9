// Writes every browser bundle as the dist build's esbuild `define` map, for
// scripts/build.mjs to pass as is.
//
// usage: node --import tsx scripts/write-browser-bundles.ts OUT.json
//   writes { [embeddedName(bundle)]: the bundle's assets as a JSON string literal }
import { writeFile } from "node:fs/promises";
import { embeddedName } from "@comptoir/contracts/browser-build";
import { buildBrowserBundles } from "./browser-bundles.js";

const out = process.argv[2];
if (out === undefined) throw new Error("usage: write-browser-bundles.ts OUT.json");
const define = Object.fromEntries(
  Object.entries(await buildBrowserBundles()).map(([name, assets]) => [
    embeddedName(name),
    // JSON text as a string literal: inlined where it is read (an object would be
    // hoisted by esbuild into the runtime chunk that every command loads).
    JSON.stringify(JSON.stringify(assets)),
  ]),
);
await writeFile(out, JSON.stringify(define));

// Bundles the CLI into dist/comptoir.mjs for deployment on a node or gateway:
// the device runs plain JavaScript and never compiles TypeScript itself.
// Native modules stay outside the bundle and are installed with `npm ci --omit=dev`.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/entry.ts"],
  outfile: "dist/comptoir.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external: ["serialport", "@serialport/*", "better-sqlite3"],
  banner: {
    js: [
      "#!/usr/bin/env node",
      // Some bundled CommonJS dependencies call require(); give them one.
      "import { createRequire as __createRequire } from 'node:module';",
      "const require = __createRequire(import.meta.url);",
    ].join("\n"),
  },
  logLevel: "info",
});

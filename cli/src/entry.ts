import { main } from "./main.js";

/**
 * The process around the CLI, shared by bin/comptoir.mjs (TypeScript run
 * directly) and the deployed bundle dist/comptoir.mjs.
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `comptoir needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a current Node.js LTS.\n`,
  );
  process.exit(1);
}

// Output piped into `head` and the like: stop quietly when the reader goes away.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));

// Fails when an import crosses a package boundary (run by `npm run lint`, so
// by `npm test` and CI): relative paths that leave their package, @comptoir
// subpaths that are not exports, undeclared dependencies, device <-> gateway,
// and browser code importing Node or server code. See scripts/boundaries/rules.ts.
//
// usage: tsx scripts/check-boundaries.ts [--root DIR]   (default: this repository)
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkBoundaries, formatViolation } from "./boundaries/check.js";

const { values } = parseArgs({
  options: { root: { type: "string", default: join(import.meta.dirname, "..") } },
});
const violations = checkBoundaries(values.root);
for (const violation of violations) process.stderr.write(`${formatViolation(violation)}\n`);
if (violations.length > 0) {
  process.stderr.write(
    `${violations.length} import(s) cross a package boundary: import other packages only through their "exports"\n`,
  );
  process.exit(1);
}
process.stdout.write("boundaries: every import stays within its package or uses a public export\n");

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { importsOf } from "./imports.js";
import { checkFile, type Violation } from "./rules.js";
import { readWorkspace } from "./workspace.js";

const SOURCE = /\.(ts|mts|cts|tsx)$/;

/** The TypeScript files git knows of (tracked, or new and not ignored) that exist. */
export function sourceFiles(repo: string): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split("\n"))]
    .filter((path) => SOURCE.test(path) && !path.endsWith(".d.ts"))
    .filter((path) => existsSync(join(repo, path)))
    .sort();
}

/** Every boundary violation among `files` (repository-relative), file by file, line by line. */
export function checkBoundaries(repo: string, files = sourceFiles(repo)): Violation[] {
  const workspace = readWorkspace(repo);
  return files.flatMap((file) =>
    checkFile(workspace, file, importsOf(file, readFileSync(join(repo, file), "utf8"))),
  );
}

export function formatViolation(violation: Violation): string {
  return `${violation.file}:${violation.line}: ${violation.specifier} — ${violation.message}`;
}

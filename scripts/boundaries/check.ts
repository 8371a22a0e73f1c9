import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importsOf } from "./imports.js";
import { checkFile, type Violation } from "./rules.js";
import { readWorkspace } from "./workspace.js";

const SOURCE = /\.(ts|mts|cts|tsx)$/;

/** The TypeScript files git knows of: tracked, or new and not ignored. */
function sourceFiles(repo: string): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split("\n"))]
    .filter((path) => SOURCE.test(path) && !path.endsWith(".d.ts"))
    .sort();
}

/** Every boundary violation among `files` (repository-relative), file by file, line by line. */
export function checkBoundaries(repo: string, files = sourceFiles(repo)): Violation[] {
  const workspace = readWorkspace(repo);
  return files.flatMap((file) => {
    const text = readSource(join(repo, file));
    return text === undefined ? [] : checkFile(workspace, file, importsOf(file, text));
  });
}

/** A file's text; undefined when it went away since it was listed (a rename in progress). */
function readSource(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export function formatViolation(violation: Violation): string {
  return `${violation.file}:${violation.line}: ${violation.specifier} — ${violation.message}`;
}

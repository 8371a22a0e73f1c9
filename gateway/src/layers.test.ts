import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));

/** Folders that put the gateway together or test it, and so may use the HTTP layer. */
const ASSEMBLY = new Set(["http", "testing"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the gateway's layers", () => {
  it("keep domain code (every folder but http/ and testing/) from importing the HTTP layer", () => {
    const offenders = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !ASSEMBLY.has(entry.name))
      .flatMap((entry) => sources(join(SRC, entry.name)))
      .filter((file) => /from "(\.\.\/)+http\//.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBoundaries, formatViolation } from "./check.js";
import { importsOf } from "./imports.js";
import { checkFile } from "./rules.js";
import { readWorkspace } from "./workspace.js";

const REPO = join(import.meta.dirname, "..", "..");
const SCRIPT = join(REPO, "scripts", "check-boundaries.ts");

const pkg = (name: string, exports: string[], dependencies: string[] = []) =>
  JSON.stringify({
    name,
    exports: Object.fromEntries(exports.map((key) => [key, `./src/${key}.ts`])),
    dependencies: Object.fromEntries(dependencies.map((dep) => [dep, "0.1.0"])),
  });

/** A small repository with the real one's shape, and one file per kind of mistake. */
const FIXTURE: Record<string, string> = {
  "package.json": JSON.stringify({
    name: "fixture",
    workspaces: ["contracts", "device", "gateway", "dashboard", "cli"],
  }),
  "contracts/package.json": pkg("@comptoir/contracts", [".", "./browser"]),
  "device/package.json": pkg("@comptoir/device", ["."], ["@comptoir/contracts"]),
  "gateway/package.json": pkg("@comptoir/gateway", [".", "./testing", "./readers/*"], []),
  "dashboard/package.json": pkg("@comptoir/dashboard", ["."], ["@comptoir/contracts"]),
  "cli/package.json": pkg("@comptoir/cli", ["."], ["@comptoir/gateway"]),
  "cli/src/fine.ts": [
    'import { a } from "@comptoir/gateway";',
    'import { b } from "@comptoir/gateway/testing";',
    'import { c } from "@comptoir/gateway/readers/line";',
    'import { d } from "./fine-too.js";',
    'import { e } from "zod";',
  ].join("\n"),
  "cli/src/deep.ts": [
    'import { Catalog } from "../../gateway/src/catalog/index.js";',
    'import type { Store } from "../../gateway/src/store.js";',
    'export * from "../../gateway/src/reexported.js";',
    'const later = await import("../../gateway/src/later.js");',
    'type Later = typeof import("../../gateway/src/typeof.js");',
    'import { x } from "@comptoir/gateway/src/catalog/index";',
    'import { y } from "@comptoir/contracts";',
    'import { z } from "../../../elsewhere.js";',
    'const fixture = new URL("../../gateway/src/fixtures/a.xml", import.meta.url);',
    'const own = new URL("./own.json", import.meta.url);',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture's source holds a template literal
    "const named = (name: string) => new URL(`../../gateway/src/fixtures/${name}`, import.meta.url);",
  ].join("\n"),
  "device/src/uses-gateway.ts": 'import type { Site } from "@comptoir/gateway";',
  "contracts/src/uses-device.ts": 'import { Ledger } from "@comptoir/device";',
  "dashboard/src/store.ts": "export const server = 1;",
  "dashboard/src/browser/page.ts": [
    'import { readFile } from "node:fs/promises";',
    'import { join } from "path";',
    'import { server } from "../store.js";',
    'import { StockRowSchema } from "@comptoir/contracts";',
    'import type { StockRow } from "@comptoir/contracts";',
    'import { el } from "@comptoir/contracts/browser";',
    'import { chart } from "./chart.js";',
  ].join("\n"),
  "dashboard/src/browser/page.test.ts": 'import { readFile } from "node:fs/promises";',
  "scripts/tool.ts": [
    'import { x } from "@comptoir/cli";',
    'import { y } from "../cli/src/main.js";',
  ].join("\n"),
};

let fixture: string;

beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), "comptoir-boundaries-"));
  for (const [path, text] of Object.entries(FIXTURE)) {
    await mkdir(dirname(join(fixture, path)), { recursive: true });
    await writeFile(join(fixture, path), `${text}\n`);
  }
  // The check lists the files git knows of; untracked ones count.
  execFileSync("git", ["init", "-q"], { cwd: fixture });
});

afterAll(() => rm(fixture, { recursive: true, force: true }));

describe("the boundary check (scripts/check-boundaries.ts)", () => {
  it("finds each deliberate mistake of the fixture, at its line, and nothing else", () => {
    const found = checkBoundaries(fixture).map((v) => `${v.file}:${v.line}: ${v.specifier}`);
    expect(found).toEqual([
      "cli/src/deep.ts:1: ../../gateway/src/catalog/index.js",
      "cli/src/deep.ts:2: ../../gateway/src/store.js",
      "cli/src/deep.ts:3: ../../gateway/src/reexported.js",
      "cli/src/deep.ts:4: ../../gateway/src/later.js",
      "cli/src/deep.ts:5: ../../gateway/src/typeof.js",
      "cli/src/deep.ts:6: @comptoir/gateway/src/catalog/index",
      "cli/src/deep.ts:7: @comptoir/contracts",
      "cli/src/deep.ts:8: ../../../elsewhere.js",
      "cli/src/deep.ts:9: ../../gateway/src/fixtures/a.xml",
      "cli/src/deep.ts:11: ../../gateway/src/fixtures/",
      "contracts/src/uses-device.ts:1: @comptoir/device",
      "dashboard/src/browser/page.ts:1: node:fs/promises",
      "dashboard/src/browser/page.ts:2: path",
      "dashboard/src/browser/page.ts:3: ../store.js",
      "dashboard/src/browser/page.ts:4: @comptoir/contracts",
      "device/src/uses-gateway.ts:1: @comptoir/gateway",
      "scripts/tool.ts:2: ../cli/src/main.js",
    ]);
  });

  it("says which rule each breaks and what to do", () => {
    const lines = checkBoundaries(fixture).map(formatViolation);
    const line = (start: string) => lines.find((text) => text.startsWith(start));
    expect(line("cli/src/deep.ts:1:")).toContain(
      `reaches into @comptoir/gateway's files by path — import "@comptoir/gateway" or one of its "exports"`,
    );
    expect(line("cli/src/deep.ts:6:")).toContain(
      `"./src/catalog/index" is not one of @comptoir/gateway's exports (".", "./testing", "./readers/*")`,
    );
    expect(line("cli/src/deep.ts:7:")).toContain(
      '@comptoir/cli does not depend on @comptoir/contracts — add "@comptoir/contracts": "0.1.0" to cli/package.json',
    );
    expect(line("cli/src/deep.ts:8:")).toContain("leaves the repository");
    expect(line("cli/src/deep.ts:9:")).toContain(
      "reads @comptoir/gateway's file gateway/src/fixtures/a.xml by path — ask @comptoir/gateway for it",
    );
    expect(line("device/src/uses-gateway.ts:1:")).toContain(
      "device and gateway never import each other",
    );
    expect(line("dashboard/src/browser/page.ts:1:")).toContain(
      "Node modules do not exist in a browser",
    );
    expect(line("dashboard/src/browser/page.ts:3:")).toContain(
      "dashboard/src/store.js is server code",
    );
    expect(line("dashboard/src/browser/page.ts:4:")).toContain("use `import type`");
    expect(line("scripts/tool.ts:2:")).toContain("reaches into @comptoir/cli's files by path");
  });

  it("as a command, prints file:line: import — rule, and exits 1 on the fixture", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--root", fixture], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "cli/src/deep.ts:1: ../../gateway/src/catalog/index.js — reaches into @comptoir/gateway's files by path",
    );
    expect(run.stderr).toContain("17 import(s) cross a package boundary");
  }, 60_000);

  it("catches a deep import added to this repository's own cli", () => {
    const file = "cli/src/commands/deliberate.ts";
    const text = 'import { Catalog } from "../../../gateway/src/catalog/index.js";\n';
    const found = checkFile(readWorkspace(REPO), file, importsOf(file, text));
    expect(found.map(formatViolation)).toEqual([
      `${file}:1: ../../../gateway/src/catalog/index.js — reaches into @comptoir/gateway's files by path — import "@comptoir/gateway" or one of its "exports" (add a subpath export to gateway/package.json if none fits)`,
    ]);
  });

  it("passes on this repository", () => {
    expect(checkBoundaries(REPO).map(formatViolation)).toEqual([]);
  }, 60_000);
});

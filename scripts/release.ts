// `npm run release`: the artefact a site installs, comptoir-<version>.tar.gz,
// holding one folder comptoir-<version>/ with
//   dist/                  the bundle (scripts/build.mjs), run with plain node
//   package.json, package-lock.json
//                          only the packages the bundle leaves outside (native
//                          modules), pinned to this repository's lock, for
//                          `npm ci --omit=dev` on the target
//   systemd/               the units (firmware-config/systemd)
//   udev/                  the reader rules (firmware-config/udev)
//   examples/, schema/     example configs and their JSON Schemas
//   install.sh             puts it all in place (scripts/install.sh)
//   INSTALL.md             docs/install.md
//
// usage: tsx scripts/release.ts [--outdir DIR]   (default release/); prints the tarball's path.
// Needs GNU tar (Debian's): it writes the archive owned by root, in name order.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { type Lock, productionManifest } from "./release/production-manifest.js";

const ROOT = join(import.meta.dirname, "..");

/** What the target installs: the bundle's external imports that a command needs at run time. */
const DEPENDENCIES = ["serialport", "@serialport/stream"];
/**
 * Only the gateway opens SQLite: a node can run without better-sqlite3, so
 * a Pi that can neither download its prebuilt binary nor compile it still
 * installs (npm skips an optional package whose build fails; install.sh says so).
 */
const OPTIONAL_DEPENDENCIES = ["better-sqlite3"];
/** External imports that are not shipped, and why. */
const NOT_SHIPPED: Record<string, string> = {
  "playwright-core": "browser benchmarks and tests only (a dev dependency)",
  esbuild: "the development path that builds browser bundles, never taken once they are embedded",
  "supports-color": "optional require of debug, in a try/catch",
  bufferutil: "optional speed-up of ws, in a try/catch",
  "utf-8-validate": "optional speed-up of ws, in a try/catch",
};

const { values } = parseArgs({ options: { outdir: { type: "string", default: "release" } } });
const outdir = resolve(values.outdir);

function run(command: string, args: string[], cwd = ROOT): void {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
}

/** esbuild's metafile, as far as this script reads it. */
const MetafileSchema = z.object({
  outputs: z.record(
    z.string(),
    z.object({
      imports: z.array(
        z.object({ path: z.string(), kind: z.string(), external: z.boolean().optional() }),
      ),
    }),
  ),
});

/** The package name of an import path: "@serialport/stream/x" → "@serialport/stream". */
function packageName(path: string): string {
  const parts = path.split("/");
  return path.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** Fails when the bundle imports a package this script neither ships nor explains. */
function checkExternals(metafile: string): void {
  const { outputs } = MetafileSchema.parse(JSON.parse(metafile));
  const known = new Set([...DEPENDENCIES, ...OPTIONAL_DEPENDENCIES, ...Object.keys(NOT_SHIPPED)]);
  const unknown = new Set<string>();
  for (const [file, output] of Object.entries(outputs))
    for (const item of output.imports) {
      if (!item.external || isBuiltin(item.path)) continue;
      const name = packageName(item.path);
      if (!known.has(name)) unknown.add(name);
      // A static import fails the whole chunk on the target, and every command that loads it.
      if (NOT_SHIPPED[name] && item.kind === "import-statement")
        throw new Error(
          `${file} imports ${name} statically, and a release does not ship it (${NOT_SHIPPED[name]}): import it with await import() where it is used`,
        );
    }
  if (unknown.size > 0)
    throw new Error(
      `the bundle imports ${[...unknown].join(", ")} from node_modules, which the release does not ship: add each to DEPENDENCIES or NOT_SHIPPED in scripts/release.ts`,
    );
}

const rootPackage = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<
  string,
  unknown
>;
const rootLock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8")) as Lock;
const name = `comptoir-${String(rootPackage.version)}`;
const stage = await mkdtemp(join(tmpdir(), "comptoir-release-"));
try {
  const top = join(stage, name);
  await mkdir(top);
  const metafile = join(stage, "meta.json");
  run(process.execPath, [
    join(ROOT, "scripts", "build.mjs"),
    "--outdir",
    join(top, "dist"),
    "--metafile",
    metafile,
  ]);
  checkExternals(await readFile(metafile, "utf8"));
  await chmod(join(top, "dist", "comptoir.mjs"), 0o755);

  const { packageJson, lock } = productionManifest({
    rootPackage,
    rootLock,
    dependencies: DEPENDENCIES,
    optionalDependencies: OPTIONAL_DEPENDENCIES,
  });
  await writeFile(join(top, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeFile(join(top, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);

  const firmware = join(ROOT, "firmware-config");
  for (const [from, to] of [
    [join(firmware, "systemd"), "systemd"],
    [join(firmware, "udev"), "udev"],
    [join(firmware, "examples"), "examples"],
    [join(firmware, "schema"), "schema"],
  ] as const) {
    await mkdir(join(top, to));
    if (existsSync(from)) await cp(from, join(top, to), { recursive: true });
  }
  // Units are for the target's systemd: leave out the repository's tests and notes beside them.
  for (const file of await readdir(join(top, "systemd")))
    if (/\.(ts|md)$|^\./.test(file)) await rm(join(top, "systemd", file), { recursive: true });
  await cp(join(ROOT, "scripts", "install.sh"), join(top, "install.sh"));
  await chmod(join(top, "install.sh"), 0o755);
  await cp(join(ROOT, "docs", "install.md"), join(top, "INSTALL.md"));

  await mkdir(outdir, { recursive: true });
  const tarball = join(outdir, `${name}.tar.gz`);
  run("tar", [
    "--sort=name",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "-czf",
    tarball,
    "-C",
    stage,
    name,
  ]);
  process.stdout.write(`${tarball}\n`);
} finally {
  await rm(stage, { recursive: true, force: true });
}

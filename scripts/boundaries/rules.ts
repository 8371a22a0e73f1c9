import { builtinModules } from "node:module";
import { posix } from "node:path";
import type { ImportRef } from "./imports.js";
import { exportsSubpath, type PackageInfo, packageOf, type Workspace } from "./workspace.js";

/** One import that crosses a boundary: where, what, and which rule with what to do. */
export interface Violation {
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** The two runtimes that share only contracts: neither may import the other. */
const NEVER_TOGETHER = new Set(["@comptoir/device", "@comptoir/gateway"]);

const BROWSER_RULE =
  "browser code imports only browser files, @comptoir/contracts/browser and `import type` from @comptoir/contracts";

/**
 * Browser code: files under a `browser/` folder of a package's src
 * (contracts/src/browser, dashboard/src/browser, device/src/http/pages/browser).
 * Their tests run in Node and are not bundled, so they are not held to it.
 */
function isBrowserFile(path: string): boolean {
  if (path.endsWith(".test.ts")) return false;
  const folders = path.split("/").slice(0, -1);
  const src = folders.indexOf("src");
  return src !== -1 && folders.slice(src + 1).includes("browser");
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] ?? "");
}

/** `@comptoir/device/readers/line` → ["@comptoir/device", "./readers/line"]. */
function splitPackage(specifier: string): [string, string] {
  const [scope = "", name = "", ...rest] = specifier.split("/");
  return [`${scope}/${name}`, rest.length === 0 ? "." : `./${rest.join("/")}`];
}

function relativeImport(
  workspace: Workspace,
  file: string,
  from: PackageInfo,
  ref: ImportRef,
): string | undefined {
  const target = posix.normalize(posix.join(posix.dirname(file), ref.specifier));
  if (target.startsWith("../")) return "leaves the repository";
  const owner = packageOf(workspace, target);
  if (owner.dir !== from.dir) {
    const name = owner.dir === "" ? "the root package" : owner.name;
    if (ref.kind === "file")
      return `reads ${name}'s file ${target} by path — ask ${name} for it through one of its "exports" (a function that returns the path or the content)`;
    return `reaches into ${name}'s files by path — import "${owner.name}" or one of its "exports" (add a subpath export to ${posix.join(owner.dir, "package.json")} if none fits)`;
  }
  if (ref.kind === "file") return undefined;
  if (isBrowserFile(file) && !isBrowserFile(target) && !target.endsWith(".test.ts"))
    return `${BROWSER_RULE}; ${target} is server code — move what both need into a browser/ folder`;
  return undefined;
}

function packageImport(
  workspace: Workspace,
  file: string,
  from: PackageInfo,
  ref: ImportRef,
): string | undefined {
  const [name, subpath] = splitPackage(ref.specifier);
  const target = workspace.packages.find((info) => info.name === name);
  if (!target) return `no workspace is named ${name}`;
  if (!exportsSubpath(target, subpath)) {
    const listed = target.exports.map((key) => `"${key}"`).join(", ") || "none";
    return `"${subpath}" is not one of ${name}'s exports (${listed}) — import a public export, or add one to ${target.dir}/package.json`;
  }
  if (NEVER_TOGETHER.has(name) && NEVER_TOGETHER.has(from.name) && name !== from.name)
    return "device and gateway never import each other — move what both need into @comptoir/contracts";
  if (name !== from.name && !from.dependencies.has(name))
    return `${from.name} does not depend on ${name} — add "${name}": "0.1.0" to ${posix.join(from.dir, "package.json")} dependencies (and to package-lock.json)`;
  const browserSafe =
    name === "@comptoir/contracts" &&
    (subpath === "./browser" || subpath.startsWith("./browser/") || ref.typeOnly);
  if (isBrowserFile(file) && !browserSafe)
    return `${BROWSER_RULE} — use \`import type\`, or move the code into a browser/ folder`;
  return undefined;
}

/** What is wrong with one import of `file` (a repository-relative path), if anything. */
function checkImport(workspace: Workspace, file: string, ref: ImportRef): string | undefined {
  const from = packageOf(workspace, file);
  if (ref.specifier.startsWith(".")) return relativeImport(workspace, file, from, ref);
  if (ref.specifier.startsWith("@comptoir/")) return packageImport(workspace, file, from, ref);
  if (isBrowserFile(file) && isNodeBuiltin(ref.specifier))
    return `${BROWSER_RULE}; Node modules do not exist in a browser`;
  return undefined;
}

export function checkFile(workspace: Workspace, file: string, refs: ImportRef[]): Violation[] {
  return refs.flatMap((ref) => {
    const message = checkImport(workspace, file, ref);
    return message ? [{ file, line: ref.line, specifier: ref.specifier, message }] : [];
  });
}

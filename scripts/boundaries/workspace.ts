import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What the boundary rules need to know of one package.json. */
export interface PackageInfo {
  name: string;
  /** Folder relative to the repository root, "" for the root package. */
  dir: string;
  /** The keys of its "exports": ".", "./testing", "./readers/*"… */
  exports: string[];
  /** Names it may import: dependencies and devDependencies. */
  dependencies: Set<string>;
}

export interface Workspace {
  root: PackageInfo;
  /** The workspaces, by folder. */
  packages: PackageInfo[];
}

interface PackageJson {
  name?: string;
  workspaces?: string[];
  exports?: string | Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackage(repo: string, dir: string): PackageInfo & { workspaces: string[] } {
  const json = JSON.parse(readFileSync(join(repo, dir, "package.json"), "utf8")) as PackageJson;
  const exports =
    json.exports === undefined
      ? []
      : typeof json.exports === "string"
        ? ["."]
        : Object.keys(json.exports);
  return {
    name: json.name ?? dir,
    dir,
    exports,
    dependencies: new Set([
      ...Object.keys(json.dependencies ?? {}),
      ...Object.keys(json.devDependencies ?? {}),
    ]),
    workspaces: json.workspaces ?? [],
  };
}

/**
 * The root package.json and its workspaces (plain folder names, as ours are).
 * The root package (scripts/, bin/, configs) holds the workspaces, so it may
 * import any of them by name.
 */
export function readWorkspace(repo: string): Workspace {
  const { workspaces, ...root } = readPackage(repo, "");
  const packages = workspaces.map((dir) => {
    const { workspaces: _, ...info } = readPackage(repo, dir);
    return info;
  });
  for (const info of packages) root.dependencies.add(info.name);
  return { root, packages };
}

/** The package a repository-relative path belongs to. */
export function packageOf(workspace: Workspace, path: string): PackageInfo {
  return workspace.packages.find((info) => path.startsWith(`${info.dir}/`)) ?? workspace.root;
}

/** Whether `subpath` ("." or "./x/y") is one of the package's exports, patterns included. */
export function exportsSubpath(info: PackageInfo, subpath: string): boolean {
  return info.exports.some((key) => {
    const star = key.indexOf("*");
    if (star === -1) return key === subpath;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    return (
      subpath.length > prefix.length + suffix.length &&
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix)
    );
  });
}

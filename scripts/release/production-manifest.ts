// The production package.json and lock file of a release: the packages the
// bundle (dist/) imports but does not contain, at the exact versions the
// repository's lock file has (the versions the tests ran with), so that
// `npm ci --omit=dev` on the target installs those and nothing else.

/** One entry of a lock file's `packages` map (lockfileVersion 3), as far as we read it. */
export interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  hasInstallScript?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

export interface Lock {
  name?: string;
  version?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

export interface ProductionManifest {
  packageJson: Record<string, unknown>;
  lock: Lock;
}

export interface ManifestInput {
  /** The repository's package.json: name, version, engines, licence and allowScripts are kept. */
  rootPackage: Record<string, unknown>;
  rootLock: Lock;
  /** Packages every install needs. */
  dependencies: readonly string[];
  /** Packages an install may go without (npm skips them when they fail to build). */
  optionalDependencies: readonly string[];
}

/**
 * Where Node finds `name` from the package at `from` (a lock key such as
 * "node_modules/a/node_modules/b", "" for the root): the nearest
 * node_modules folder upwards that holds it.
 */
export function resolveInLock(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

function edges(entry: LockEntry): { name: string; optional: boolean }[] {
  const required = Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false }));
  const optional = Object.keys(entry.optionalDependencies ?? {}).map((name) => ({
    name,
    optional: true,
  }));
  const peers = Object.keys(entry.peerDependencies ?? {}).map((name) => ({
    name,
    optional: entry.peerDependenciesMeta?.[name]?.optional === true,
  }));
  return [...required, ...optional, ...peers];
}

/**
 * The lock entries reachable from the root's dependencies, with the
 * development flags of the repository's lock removed (a package only the
 * repository's tooling needed is dev there, and `--omit=dev` would skip it):
 * `optional` marks what only optional edges reach.
 */
export function lockClosure(
  lock: Lock,
  roots: readonly { name: string; optional: boolean }[],
): Record<string, LockEntry> {
  const reached = new Map<string, boolean>(); // key → reached by required edges only
  const visit = (from: string, name: string, optional: boolean, via: string) => {
    const key = resolveInLock(lock, from, name);
    if (key === undefined) {
      // A platform-specific optional package may be absent from a lock made elsewhere.
      if (optional) return;
      throw new Error(
        `${name}, needed by ${via}, is not in package-lock.json: run npm install, then npm run release again`,
      );
    }
    const seen = reached.get(key);
    if (seen === true || (seen === false && optional)) return;
    reached.set(key, !optional);
    const entry = lock.packages[key] as LockEntry;
    if (entry.link)
      throw new Error(
        `${name} is a workspace link (${key}) in package-lock.json: a release can only ship published packages`,
      );
    for (const edge of edges(entry)) visit(key, edge.name, optional || edge.optional, name);
  };
  for (const root of roots) visit("", root.name, root.optional, "the bundle");
  const packages: Record<string, LockEntry> = {};
  for (const key of [...reached.keys()].sort()) {
    const {
      dev: _dev,
      devOptional: _devOptional,
      peer: _peer,
      optional: _optional,
      ...entry
    } = lock.packages[key] as LockEntry;
    packages[key] = reached.get(key) ? entry : { ...entry, optional: true };
  }
  return packages;
}

function exactVersion(lock: Lock, name: string): string {
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version)
    throw new Error(
      `${name} is not installed at the top of node_modules in package-lock.json: run npm install, then npm run release again`,
    );
  return version;
}

/** The release's package.json and package-lock.json, for `npm ci --omit=dev` on the target. */
export function productionManifest(input: ManifestInput): ProductionManifest {
  const { rootPackage, rootLock } = input;
  const pin = (names: readonly string[]) =>
    Object.fromEntries([...names].sort().map((name) => [name, exactVersion(rootLock, name)]));
  const dependencies = pin(input.dependencies);
  const optionalDependencies = pin(input.optionalDependencies);
  const closure = lockClosure(rootLock, [
    ...input.dependencies.map((name) => ({ name, optional: false })),
    ...input.optionalDependencies.map((name) => ({ name, optional: true })),
  ]);
  const withScripts = new Set(
    Object.entries(closure)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([key]) => key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length)),
  );
  const allowScripts = Object.fromEntries(
    Object.entries((rootPackage.allowScripts ?? {}) as Record<string, boolean>).filter(([name]) =>
      withScripts.has(name),
    ),
  );
  const head: LockEntry = {
    name: rootPackage.name,
    version: String(rootPackage.version),
    license: rootPackage.license,
    dependencies,
    optionalDependencies,
    engines: rootPackage.engines,
  };
  const packageJson = {
    name: rootPackage.name,
    version: rootPackage.version,
    description: rootPackage.description,
    private: true,
    type: "module",
    license: rootPackage.license,
    engines: rootPackage.engines,
    bin: { comptoir: "dist/comptoir.mjs" },
    dependencies,
    optionalDependencies,
    allowScripts,
  };
  const lock: Lock = {
    name: String(rootPackage.name),
    version: String(rootPackage.version),
    lockfileVersion: 3,
    requires: true,
    packages: { "": head, ...closure },
  };
  return { packageJson, lock };
}

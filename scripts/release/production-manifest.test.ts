import { describe, expect, it } from "vitest";
import {
  type Lock,
  lockClosure,
  productionManifest,
  resolveInLock,
} from "./production-manifest.js";

/** A repository lock as npm writes it: dev flags from the repository's point of view, nesting. */
const LOCK: Lock = {
  lockfileVersion: 3,
  packages: {
    "": { name: "comptoir", version: "1.2.3" },
    "node_modules/native": {
      version: "2.0.0",
      hasInstallScript: true,
      dependencies: { debug: "4.4.0", helper: "^1.0.0" },
      optionalDependencies: { "native-linux-s390x": "2.0.0" },
    },
    "node_modules/native/node_modules/debug": { version: "4.4.0", dependencies: { ms: "^2" } },
    "node_modules/debug": { version: "4.4.3", dev: true, dependencies: { ms: "^2" } },
    "node_modules/ms": { version: "2.1.3", devOptional: true },
    "node_modules/helper": { version: "1.0.0", dev: true },
    "node_modules/sqlite": { version: "9.0.0", hasInstallScript: true, dependencies: { ms: "^2" } },
    "node_modules/only-for-tests": { version: "0.1.0", dev: true },
    "device/node_modules/linked": { version: "0.0.1" },
    "node_modules/linked": { link: true },
  },
};

describe("the release's production manifest", () => {
  it("finds a dependency the way Node does: the nearest node_modules upwards", () => {
    expect(resolveInLock(LOCK, "node_modules/native", "debug")).toBe(
      "node_modules/native/node_modules/debug",
    );
    expect(resolveInLock(LOCK, "node_modules/native/node_modules/debug", "ms")).toBe(
      "node_modules/ms",
    );
    expect(resolveInLock(LOCK, "", "missing")).toBeUndefined();
  });

  it("keeps what the shipped packages reach, nothing else, without the repository's dev flags", () => {
    const packages = lockClosure(LOCK, [{ name: "native", optional: false }]);
    expect(Object.keys(packages)).toEqual([
      "node_modules/helper",
      "node_modules/ms",
      "node_modules/native",
      "node_modules/native/node_modules/debug",
    ]);
    // `npm ci --omit=dev` skips an entry flagged dev: none may be.
    expect(Object.values(packages).filter((entry) => entry.dev || entry.devOptional)).toEqual([]);
  });

  it("marks optional what only an optional package reaches, and skips an absent platform package", () => {
    const packages = lockClosure(LOCK, [
      { name: "sqlite", optional: true },
      { name: "native", optional: false },
    ]);
    expect(packages["node_modules/sqlite"]?.optional).toBe(true);
    // ms is also reached through native's required edges.
    expect(packages["node_modules/ms"]?.optional).toBeUndefined();
    expect(packages["node_modules/native-linux-s390x"]).toBeUndefined();
  });

  it("says what to do when a required package is missing, and refuses a workspace link", () => {
    expect(() => lockClosure(LOCK, [{ name: "absent", optional: false }])).toThrow(
      "absent, needed by the bundle, is not in package-lock.json: run npm install, then npm run release again",
    );
    expect(() => lockClosure(LOCK, [{ name: "linked", optional: false }])).toThrow(
      /workspace link/,
    );
  });

  it("pins exact versions in package.json and the lock's root, as npm ci checks they agree", () => {
    const { packageJson, lock } = productionManifest({
      rootPackage: {
        name: "comptoir",
        version: "1.2.3",
        license: "Apache-2.0",
        engines: { node: ">=20.19" },
        allowScripts: { native: true, sqlite: true, esbuild: true },
        devDependencies: { vitest: "^4" },
      },
      rootLock: LOCK,
      dependencies: ["native"],
      optionalDependencies: ["sqlite"],
    });
    expect(packageJson).toMatchObject({
      name: "comptoir",
      version: "1.2.3",
      bin: { comptoir: "dist/comptoir.mjs" },
      dependencies: { native: "2.0.0" },
      optionalDependencies: { sqlite: "9.0.0" },
      // Only packages the target installs and that have an install script.
      allowScripts: { native: true, sqlite: true },
    });
    expect(packageJson).not.toHaveProperty("devDependencies");
    expect(lock.packages[""]).toMatchObject({
      dependencies: packageJson.dependencies,
      optionalDependencies: packageJson.optionalDependencies,
    });
    expect(Object.keys(lock.packages)).not.toContain("node_modules/only-for-tests");
  });
});

import { dirname, resolve } from "node:path";

/** Relative paths in a config file mean relative to that file, not to the working directory. */
export function resolveFromConfig(configFile: string, path: string): string {
  return resolve(dirname(resolve(configFile)), path);
}

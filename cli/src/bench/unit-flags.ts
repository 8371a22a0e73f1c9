import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The Node.js flags a systemd unit starts its process with: what ExecStart
 * puts between the node binary and the bundle (`ExecStart=/usr/bin/node
 * --max-semi-space-size=1 /opt/comptoir/dist/comptoir.mjs node …` gives
 * ["--max-semi-space-size=1"]). The benchmarks run a node process the way
 * the installed unit does, from the unit itself, so that the two cannot drift.
 */
export function execStartNodeFlags(unit: string): string[] {
  const line = unit.split("\n").find((raw) => raw.trim().startsWith("ExecStart="));
  if (line === undefined) throw new Error("the unit has no ExecStart= line");
  const words = line.trim().slice("ExecStart=".length).split(/\s+/);
  const script = words.findIndex((word) => word.endsWith(".mjs"));
  if (script < 1) throw new Error(`ExecStart= does not run a .mjs bundle with node: ${line}`);
  return words.slice(1, script);
}

/**
 * The flags of firmware-config/systemd/<unit> in the source tree `root`;
 * undefined where the tree has no such unit (an installed release).
 */
export async function unitNodeFlags(root: string, unit: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, "firmware-config", "systemd", unit), "utf8");
  } catch {
    return undefined;
  }
  return execStartNodeFlags(text);
}

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, type ManualClock } from "@comptoir/contracts";
import type { NodeConfig } from "@comptoir/firmware-config";
import { type RunningNode, startNode } from "../../index.js";
import type { NodeRuntimeOptions } from "../runtime.js";

/**
 * What the counter and dock test nodes share: no reader hardware (the test
 * hands reads to the runtime itself) and a fresh data dir unless given one.
 */

/** `given`, or a new temp dir (`prefix…`) holding a fresh node identity. */
export async function nodeDataDir(given: string | undefined, prefix: string): Promise<string> {
  if (given) return given;
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  await createIdentity(dataDir);
  return dataDir;
}

/** A reader of the config that is never opened; `antennas` name the zones the runtime sees. */
export function lineReader(id: string, antennas: { port: number; zone: string }[]) {
  return { id, protocol: "line", url: "tcp://127.0.0.1:9", antennas };
}

/** The node on `config`, on the test's clock, with no reader to open. */
export function startReaderless(
  config: NodeConfig,
  dataDir: string,
  clock: ManualClock,
  extra: Pick<NodeRuntimeOptions, "clockSync"> = {},
): Promise<RunningNode> {
  return startNode({
    ...extra,
    config,
    dataDir,
    clock,
    openTransport: async () => {
      throw new Error("no reader in this test");
    },
  });
}

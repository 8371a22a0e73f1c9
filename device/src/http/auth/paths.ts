import { join } from "node:path";

/** Where a node keeps its terminal tokens' hashes: one file in its data directory. */
export function terminalTokensPath(dataDir: string): string {
  return join(dataDir, "terminal-tokens.json");
}

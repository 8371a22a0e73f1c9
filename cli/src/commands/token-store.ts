import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { loadIdentity } from "@comptoir/contracts";
import { GatewayConfigSchema, loadConfigFile, resolveFromConfig } from "@comptoir/firmware-config";
import { type Actor, GatewayLedger, Store, TokenStore } from "@comptoir/gateway";
import { CliError, type CliIO } from "../command.js";

/**
 * The API tokens of the gateway that `--config FILE` describes, opened on
 * its SQLite store (a running gateway may keep it open: SQLite serialises
 * the writes). Changes are recorded in the gateway's ledger, by the OS user.
 */
export async function openGatewayTokens(
  file: string,
  io: CliIO,
): Promise<{ tokens: TokenStore; actor: Actor; close: () => void }> {
  const { config, warnings } = loadConfigFile(file, GatewayConfigSchema, io.env);
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  const dataDir = resolveFromConfig(file, config.gateway.dataDir);
  const dbPath = join(dataDir, "gateway.db");
  if (!existsSync(dbPath)) {
    throw new CliError(
      `no gateway store at ${dbPath} — start the gateway once with comptoir gateway --config ${file}`,
    );
  }
  const identity = await loadIdentity(dataDir).catch(() => {
    throw new CliError(
      `no gateway identity key in ${dataDir} — start the gateway once with comptoir gateway --config ${file}`,
    );
  });
  const store = new Store(dbPath);
  const ledger = new GatewayLedger(store, identity, {
    checkpointEvery: config.ledger.checkpointEvery,
  });
  return {
    tokens: new TokenStore(store.db, ledger),
    actor: { kind: "user", id: osUser() },
    close: () => store.close(),
  };
}

function osUser(): string {
  try {
    return userInfo().username || "cli";
  } catch {
    return "cli";
  }
}

import type { CliIO, Command } from "./command.js";
import type { CommandEntry } from "./commands/index.js";

/**
 * Loading a command whose code imports a package this installation lacks.
 * A release installs better-sqlite3 as optional: install.sh leaves it out on
 * a node (COMPTOIR_ROLE=node), and npm leaves it out where it could neither
 * be downloaded nor built. Only the gateway's commands need it; the others,
 * and `comptoir --help`, must still work there.
 */

/** The package named by a failed import of a missing package, else undefined. */
export function missingPackage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") return undefined;
  return /Cannot find package '([^']+)'/.exec(error.message)?.[1];
}

/** What to tell a user who runs such a command. */
export function unavailableMessage(entry: CommandEntry, pkg: string): string {
  return `comptoir ${entry.name}: needs the package ${pkg}, which this installation does not have — install.sh leaves it out with COMPTOIR_ROLE=node, and npm leaves it out where it can be neither downloaded nor built; on this machine run install.sh again with COMPTOIR_ROLE=gateway (INSTALL.md says what it needs)`;
}

/** The command; or, when its code needs a missing package, undefined after saying so on stderr. */
export async function loadOrExplain(entry: CommandEntry, io: CliIO): Promise<Command | undefined> {
  try {
    return await entry.load();
  } catch (error) {
    const pkg = missingPackage(error);
    if (pkg === undefined) throw error;
    io.stderr.write(`${unavailableMessage(entry, pkg)}\n`);
    return undefined;
  }
}

/** A command's one-line summary for the listings, or why it cannot run here. */
export async function summaryOf(entry: CommandEntry): Promise<string> {
  try {
    return (await entry.load()).summary;
  } catch (error) {
    const pkg = missingPackage(error);
    if (pkg === undefined) throw error;
    return `(not available in this installation: needs ${pkg}, see INSTALL.md)`;
  }
}

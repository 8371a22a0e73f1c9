import { open } from "node:fs/promises";
import { join } from "node:path";

/** Where the first admin token is written, in the gateway's data directory. */
export const ADMIN_TOKEN_FILE = "admin-token";

/**
 * Writes the first admin token to `<dataDir>/admin-token`, readable by the
 * gateway's user only (0600), and returns the path. The start banner names
 * the file instead of the token: under systemd, stdout ends up in the
 * journal, which more people read than the data directory.
 */
export async function writeAdminTokenFile(dataDir: string, token: string): Promise<string> {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  const handle = await open(path, "w", 0o600);
  try {
    // A file left by an earlier start keeps its old mode through open(): set it again.
    await handle.chmod(0o600);
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return path;
}

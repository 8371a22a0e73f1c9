import { chmod, mkdir, open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type ChainIdentity,
  generateIdentity,
  identityFromPrivatePem,
  privateKeyPem,
  publicKeyPem,
} from "./keys.js";

/** The node's Ed25519 identity lives in its data directory: a private key only its user can read. */
export function identityPaths(dataDir: string) {
  return { privateKey: join(dataDir, "identity.key"), publicKey: join(dataDir, "identity.pub") };
}

export class IdentityExistsError extends Error {
  override name = "IdentityExistsError";
}

export class IdentityMissingError extends Error {
  override name = "IdentityMissingError";
}

/**
 * Creates the identity, refusing to overwrite one: replacing a node's key
 * would orphan every checkpoint it signed and its enrollment at the gateway.
 */
export async function createIdentity(dataDir: string): Promise<ChainIdentity> {
  const paths = identityPaths(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const identity = generateIdentity();
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(paths.privateKey, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new IdentityExistsError(
        `${paths.privateKey} already exists; refusing to replace this node's identity (its enrolled key and signed checkpoints depend on it)`,
      );
    }
    throw error;
  }
  try {
    await handle.writeFile(privateKeyPem(identity));
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The umask may have narrowed the mode further; never wider than 0600.
  await chmod(paths.privateKey, 0o600);
  const publicHandle = await open(paths.publicKey, "w", 0o644);
  try {
    await publicHandle.writeFile(publicKeyPem(identity.publicKey));
    await publicHandle.sync();
  } finally {
    await publicHandle.close();
  }
  return identity;
}

export async function loadIdentity(dataDir: string): Promise<ChainIdentity> {
  const paths = identityPaths(dataDir);
  let pem: string;
  try {
    pem = await readFile(paths.privateKey, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IdentityMissingError(
        `no node identity at ${paths.privateKey}; create one with "comptoir node init --config FILE"`,
      );
    }
    throw error;
  }
  const mode = (await stat(paths.privateKey)).mode & 0o077;
  if (mode !== 0) {
    throw new Error(
      `${paths.privateKey} can be read by other users; run "chmod 600 ${paths.privateKey}"`,
    );
  }
  return identityFromPrivatePem(pem);
}

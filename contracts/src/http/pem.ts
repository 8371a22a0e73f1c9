import { readFile } from "node:fs/promises";

/** Whose config names the file, and so whose user must be able to read it. */
export type PemOwner = "node" | "gateway";

/**
 * The PEM file a setting names (`mqtt.ca`, `tls.cert`…), read; when it cannot be,
 * an error naming the setting, the path, why, and what to check.
 */
export async function readPemFile(path: string, setting: string, owner: PemOwner): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `cannot read ${setting} ${path}: ${reason} — check the path in the ${owner} config and that the ${owner}'s user may read it`,
    );
  }
}

/** A PEM given inline (as enrollment hands out the CA) or the path of a PEM file. */
export async function readPem(value: string, setting: string, owner: PemOwner): Promise<Buffer> {
  if (value.trimStart().startsWith("-----BEGIN ")) return Buffer.from(value);
  return readPemFile(value, setting, owner);
}

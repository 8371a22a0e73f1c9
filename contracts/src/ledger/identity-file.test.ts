import { chmod, mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createIdentity,
  IdentityExistsError,
  identityPaths,
  loadIdentity,
} from "./identity-file.js";

describe("node identity", () => {
  it("creates an Ed25519 key only its user can read, and loads it back", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "comptoir-id-")), "data");
    const created = await createIdentity(dir);
    const paths = identityPaths(dir);
    expect((await stat(paths.privateKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.publicKey, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const loaded = await loadIdentity(dir);
    expect(loaded.publicKeyHex).toBe(created.publicKeyHex);
    expect(loaded.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses to overwrite an existing identity", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-id-"));
    const first = await createIdentity(dir);
    await expect(createIdentity(dir)).rejects.toBeInstanceOf(IdentityExistsError);
    expect((await loadIdentity(dir)).publicKeyHex).toBe(first.publicKeyHex);
  });

  it("refuses a private key other users can read, saying how to fix it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-id-"));
    await createIdentity(dir);
    await chmod(identityPaths(dir).privateKey, 0o644);
    await expect(loadIdentity(dir)).rejects.toThrow(/chmod 600/);
  });

  it("says how to create a missing identity", async () => {
    await expect(loadIdentity(await mkdtemp(join(tmpdir(), "comptoir-id-")))).rejects.toThrow(
      /comptoir node init/,
    );
  });
});

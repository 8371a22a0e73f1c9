import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerminalTokens, terminalTokensPath } from "@comptoir/device";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function nodeConfig(): Promise<{ file: string; dataDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-node-token-"));
  dirs.push(dir);
  const file = join(dir, "node.yaml");
  await writeFile(file, "node: { id: pos-1, site: lyon-1, role: counter, dataDir: ./data }\n");
  return { file, dataDir: join(dir, "data") };
}

describe("comptoir node token", () => {
  it("creates a terminal token shown once and stored hashed, lists terminals without tokens, revokes", async () => {
    const { file, dataDir } = await nodeConfig();
    const created = await runCli(["node", "token", "create", "--config", file, "--name", "till-1"]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split("\n").at(-1) as string;
    expect(created.stdout).toContain('counter token for terminal "till-1"');
    // The node knows it; its file holds only the hash.
    const tokens = new TerminalTokens(terminalTokensPath(dataDir));
    expect(tokens.verify(token)).toEqual({ name: "till-1", role: "counter" });
    expect(await readFile(terminalTokensPath(dataDir), "utf8")).not.toContain(token);

    const again = await runCli(["node", "token", "create", "--config", file, "--name", "till-1"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already has a token");
    const badRole = await runCli([
      "node",
      "token",
      "create",
      "--config",
      file,
      "--name",
      "x",
      "--role",
      "boss",
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("--role must be one of counter, station, admin");

    const list = await runCli(["node", "token", "list", "--config", file]);
    expect(list.stdout).toContain("till-1\tcounter");
    expect(list.stdout).not.toContain(token);

    expect(
      (await runCli(["node", "token", "revoke", "--config", file, "--name", "till-1"])).code,
    ).toBe(0);
    expect(tokens.verify(token)).toBeUndefined();
    const gone = await runCli(["node", "token", "revoke", "--config", file, "--name", "till-1"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no terminal named "till-1"');
  });
});

import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, publicKeyPem } from "@comptoir/contracts";
import { Ledger } from "@comptoir/device";
import { beforeAll, describe, expect, it } from "vitest";
import { runBin, runCli } from "./support/run-cli.js";

describe("comptoir, the command line", () => {
  it("lists its commands with --help and exits 0", () => {
    const run = runBin(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/audit verify/);
    expect(run.stdout).toMatch(/node init/);
  });

  it("prints usage on stderr and exits 2 for no command, an unknown one, or a bad flag", async () => {
    expect(runBin([])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/usage: comptoir COMMAND/),
    });
    const unknown = await runCli(["frobnicate"]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
    const badFlag = await runCli(["audit", "verify", "somewhere", "--colour"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--colour/);
    expect(badFlag.stderr).toMatch(/usage: comptoir audit verify DIR/);
    expect((await runCli(["audit", "verify"])).code).toBe(2);
  });

  it("gives each command its own --help", async () => {
    const run = await runCli(["audit", "verify", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--public-key FILE/);
  });
});

describe("comptoir audit verify", () => {
  const owner = generateIdentity();
  let root: string;
  let dir: string;
  let head: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "comptoir-audit-"));
    dir = join(root, "ledger");
    const ledger = await Ledger.open({
      dir,
      chain: "dock-1",
      identity: owner,
      checkpointEvery: 20,
    });
    for (let i = 0; i < 100; i++)
      await ledger.append("sale", { amount: { amount: 1000 + i, currency: "EUR" } });
    await ledger.close();
    head = ledger.head.hash;
    await writeFile(join(root, "owner.pub"), publicKeyPem(owner.publicKey));
    await writeFile(join(root, "other.pub"), publicKeyPem(generateIdentity().publicKey));
  });

  it("prints ok, the count and the head hash, and exits 0", async () => {
    const run = await runCli(["audit", "verify", dir, "--public-key", join(root, "owner.pub")]);
    expect(run).toMatchObject({ code: 0, stdout: `ok 105 entries, head ${head}\n` });
  });

  it("finds the ledger inside a node data directory", async () => {
    expect((await runCli(["audit", "verify", root])).stdout).toBe(`ok 105 entries, head ${head}\n`);
  });

  it("names the first bad seq and the reason, and exits 1", async () => {
    const copy = join(root, "tampered");
    await cp(dir, copy, { recursive: true });
    const [name] = await readdir(copy);
    const path = join(copy, name as string);
    await writeFile(path, (await readFile(path, "utf8")).replace('"amount":1050', '"amount":50'));
    const run = await runCli(["audit", "verify", copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("broken at seq 53: bad hash\n");
    expect(run.stderr).toMatch(/content hashes to/);
  });

  it("reports checkpoints signed by a key other than the one given", async () => {
    const run = await runCli(["audit", "verify", dir, "--public-key", join(root, "other.pub")]);
    expect(run).toMatchObject({ code: 1, stdout: "broken at seq 21: signed by another key\n" });
  });

  it("says what is wrong, in one line, when the directory or key cannot be used", async () => {
    const missing = await runCli(["audit", "verify", join(root, "nowhere")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such directory\n$/);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    const badKey = await runCli([
      "audit",
      "verify",
      dir,
      "--public-key",
      join(root, "ledger", "00000000000000000001.jsonl"),
    ]);
    expect(badKey).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/is not an Ed25519 public key/),
    });
  });
});

describe("comptoir node init", () => {
  it("creates the identity once, prints the public key, and refuses to replace it", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-init-"));
    const config = join(root, "node.yaml");
    await writeFile(
      config,
      "node:\n  id: dock-1\n  site: lyon-1\n  role: portal\n  dataDir: ./state\n",
    );
    const first = await runCli(["node", "init", "--config", config]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/public key \(hex\): [0-9a-f]{64}/);
    expect(first.stdout).toContain(await readFile(join(root, "state", "identity.pub"), "utf8"));
    const second = await runCli(["node", "init", "--config", config]);
    expect(second).toMatchObject({ code: 1, stderr: expect.stringMatching(/refusing to replace/) });
  });

  it("lists every config problem by path and exits 1", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-init-"));
    const config = join(root, "node.yaml");
    await writeFile(config, "node:\n  id: dock 1\n  role: till\n");
    const run = await runCli(["node", "init", "--config", config]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/node\.id: /);
    expect(run.stderr).toMatch(/node\.site: /);
    expect(run.stderr).toMatch(/node\.role: /);
  });
});

describe("the ledger demo", () => {
  it("writes a ledger, verifies it, and catches each tampered copy", () => {
    const run = runBin(["demo", "ledger"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/verify original: +ok 1205 entries/);
    expect(run.stdout).toMatch(/cut to 0\.01: +broken at seq \d+: bad hash/);
    expect(run.stdout).toMatch(/recomputed: +broken at seq \d+: broken link/);
    expect(run.stdout).toMatch(/deleted: +broken at seq 700: gap/);
    expect(run.stdout).toMatch(/swapped: +broken at seq 800: out of order/);
  });
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, loadIdentity } from "@comptoir/contracts";
import { GATEWAY_CHAIN, GatewayLedger, Store, TokenStore } from "@comptoir/gateway";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** A gateway config and data dir as a first start leaves them: identity key and store. */
async function gatewayDir(started = true) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-token-cli-"));
  const config = join(dir, "gateway.yaml");
  await writeFile(config, "gateway:\n  site: site-1\n  dataDir: ./data\n");
  if (started) {
    await createIdentity(join(dir, "data"));
    new Store(join(dir, "data", "gateway.db")).close();
  }
  const open = async () => {
    const store = new Store(join(dir, "data", "gateway.db"));
    const ledger = new GatewayLedger(store, await loadIdentity(join(dir, "data")));
    return { store, ledger, tokens: new TokenStore(store.db, ledger) };
  };
  return { config, open };
}

describe("comptoir token create / revoke", () => {
  it("creates a token of a role that the gateway then accepts, and revokes it, both in the ledger", async () => {
    const g = await gatewayDir();
    const created = await runCli([
      "token",
      "create",
      "--config",
      g.config,
      "--role",
      "warehouse",
      "--name",
      "dock tablet",
    ]);
    expect(created.code).toBe(0);
    const [, id] =
      /created token (tok_[0-9a-f]+) \(role warehouse, "dock tablet"\)/.exec(created.stdout) ?? [];
    const token = created.stdout.trim().split("\n").at(-1) ?? "";
    expect(token).toMatch(/^ct_/);
    let db = await g.open();
    expect(db.tokens.authenticate(token)).toMatchObject({ id, role: "warehouse" });
    db.store.close();

    expect((await runCli(["token", "revoke", id ?? "", "--config", g.config])).code).toBe(0);
    expect((await runCli(["token", "revoke", id ?? "", "--config", g.config])).stdout).toMatch(
      /already revoked/,
    );
    db = await g.open();
    expect(db.tokens.authenticate(token)).toBeUndefined();
    const entries = [...db.store.entries(GATEWAY_CHAIN)];
    expect(entries.map((e) => e.type)).toEqual(["token.created", "token.revoked"]);
    expect(entries[0]?.data).toMatchObject({ by: { kind: "user" }, token: id, role: "warehouse" });
    expect(db.ledger.verify()).toMatchObject({ ok: true, count: 2 });
    db.store.close();
  });

  it("refuses a bad role (2), an unknown id (1) and a gateway never started (1), changing nothing", async () => {
    const g = await gatewayDir();
    const badRole = await runCli(["token", "create", "--config", g.config, "--role", "root"]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of admin, accounting/);
    const unknown = await runCli(["token", "revoke", "tok_000000000000", "--config", g.config]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no token tok_000000000000/);
    const db = await g.open();
    expect(db.tokens.count()).toBe(0);
    expect([...db.store.entries(GATEWAY_CHAIN)]).toHaveLength(0);
    db.store.close();
    const fresh = await gatewayDir(false);
    const never = await runCli(["token", "create", "--config", fresh.config, "--role", "admin"]);
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/start the gateway once with comptoir gateway --config/);
  });
});

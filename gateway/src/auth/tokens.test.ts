import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { GATEWAY_CHAIN, GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { bootstrapAdminToken, TokenStore } from "./tokens.js";

async function setup() {
  const path = join(await mkdtemp(join(tmpdir(), "comptoir-tokens-")), "gateway.db");
  const store = new Store(path);
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  return { path, store, ledger, tokens: new TokenStore(store.db, ledger, { clock }) };
}

const cli = { kind: "user", id: "cli" } as const;

describe("API tokens", () => {
  it("keeps only the SHA-256 of a token, which authenticates until revoked", async () => {
    const { store, tokens } = await setup();
    const { record, token } = tokens.create("warehouse", "dock tablet", cli);
    expect(token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
    expect(tokens.authenticate(token)).toMatchObject({ id: record.id, role: "warehouse" });
    const raw = store.db.prepare("SELECT * FROM api_tokens").all();
    expect(JSON.stringify(raw)).not.toContain(token.slice(3));
    expect(tokens.authenticate(`${token}x`)).toBeUndefined();
    expect(tokens.authenticate("not a token")).toBeUndefined();
    expect(tokens.revoke(record.id, cli)).toBe("revoked");
    expect(tokens.authenticate(token)).toBeUndefined();
    expect(tokens.revoke(record.id, cli)).toBe("already");
    expect(tokens.revoke("tok_nope", cli)).toBe("unknown");
  });

  it("records creation and revocation in the gateway ledger, never the token", async () => {
    const { store, ledger, tokens } = await setup();
    const { record, token } = tokens.create("accounting", "erp", cli);
    tokens.revoke(record.id, { kind: "token", id: "tok_admin" });
    const entries = [...store.entries(GATEWAY_CHAIN)];
    expect(entries.map((entry) => entry.type)).toEqual(["token.created", "token.revoked"]);
    expect(entries[0]?.data).toEqual({
      by: cli,
      token: record.id,
      name: "erp",
      role: "accounting",
    });
    expect(entries[1]?.data).toEqual({ by: { kind: "token", id: "tok_admin" }, token: record.id });
    expect(JSON.stringify(entries)).not.toContain(token);
    expect(ledger.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it("refuses an unknown role or an empty name and writes nothing", async () => {
    const { store, tokens } = await setup();
    // @ts-expect-error: not a role
    expect(() => tokens.create("root", "x", cli)).toThrow();
    expect(() => tokens.create("viewer", "  ", cli)).toThrow();
    expect(tokens.count()).toBe(0);
    expect([...store.entries(GATEWAY_CHAIN)]).toHaveLength(0);
  });

  it("creates the first admin token once, at the first start only", async () => {
    const { path, store, ledger, tokens } = await setup();
    const first = bootstrapAdminToken(tokens);
    expect(first?.record.role).toBe("admin");
    expect(bootstrapAdminToken(tokens)).toBeUndefined();
    store.close();
    const reopened = new Store(path);
    const again = new TokenStore(reopened.db, new GatewayLedger(reopened, generateIdentity()));
    expect(bootstrapAdminToken(again)).toBeUndefined();
    expect(again.authenticate(first?.token ?? "")).toMatchObject({ role: "admin" });
    expect(ledger).toBeDefined();
  });
});

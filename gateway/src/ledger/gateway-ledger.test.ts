import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { Store } from "../store/store.js";
import { GATEWAY_CHAIN, GatewayLedger } from "./gateway-ledger.js";

async function setup(checkpointEvery = 5) {
  const store = new Store(join(await mkdtemp(join(tmpdir(), "comptoir-gwledger-")), "gateway.db"));
  const identity = generateIdentity();
  const ledger = new GatewayLedger(store, identity, {
    clock: new ManualClock("2026-11-22T12:00:00Z"),
    checkpointEvery,
  });
  return { store, identity, ledger };
}

describe("the gateway's own ledger", () => {
  it("records business events with who caused them, in a signed chain that verifies", async () => {
    const { ledger } = await setup();
    const entry = ledger.record(
      "node.enrolled",
      { node: "dock-1", publicKey: "ab".repeat(32) },
      { kind: "token", id: "tok_1" },
    );
    expect(entry).toMatchObject({
      seq: 1,
      chain: GATEWAY_CHAIN,
      type: "node.enrolled",
      data: { by: { kind: "token", id: "tok_1" }, node: "dock-1" },
    });
    for (let i = 0; i < 7; i++)
      ledger.record("customer.changed", { customer: `C-${i}` }, { kind: "user", id: "alice" });
    ledger.checkpoint();
    expect(ledger.verify()).toMatchObject({ ok: true, count: 10 });
  });

  it("commits an entry only with the business change it records", async () => {
    const { store, ledger } = await setup();
    store.db.exec("CREATE TABLE products (sku TEXT PRIMARY KEY)");
    const create = store.db.transaction((sku: string) => {
      store.db.prepare("INSERT INTO products (sku) VALUES (?)").run(sku);
      ledger.record("product.created", { sku }, { kind: "token", id: "tok_1" });
    });
    create("SKU-1");
    expect(() => create("SKU-1")).toThrow(/UNIQUE/);
    expect(ledger.head.seq).toBe(1);
    expect(ledger.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it("is caught when a stored entry is edited", async () => {
    const { store, ledger } = await setup();
    for (let i = 0; i < 3; i++)
      ledger.record("payment.recorded", { amount: 1000 + i }, { kind: "token", id: "tok_2" });
    store.db
      .prepare(
        "UPDATE entries SET data = replace(data, '1001', '1') WHERE chain = 'gateway' AND seq = 2",
      )
      .run();
    expect(ledger.verify()).toMatchObject({ ok: false, seq: 2, reason: "bad hash" });
  });

  it("refuses entry types it reserves", async () => {
    const { ledger } = await setup();
    expect(() => ledger.record("checkpoint", {}, { kind: "system", id: "gateway" })).toThrow(
      RangeError,
    );
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DECISION_TYPES_SQL } from "./schema.js";
import { Store } from "./store.js";

async function path(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "comptoir-insert-cost-")), "gateway.db");
}

const indexes = (db: Database.Database, table: string): string[] =>
  (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
      )
      .all(table) as { name: string }[]
  ).map((row) => row.name);

/** The opcodes SQLite runs for a statement. */
const opcodes = (db: Database.Database, sql: string, values: unknown[]): string[] =>
  (db.prepare(`EXPLAIN ${sql}`).all(...values) as { opcode: string }[]).map((row) => row.opcode);

describe("what ingest pays per stored entry", () => {
  it("builds no temporary table per insert (an IN list in a partial index's WHERE did, on every entry)", async () => {
    const store = new Store(await path());
    try {
      const entry = opcodes(
        store.db,
        "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ["n", 1, "t", "movement", "{}", "p", "h", "r"],
      );
      expect(entry).toContain("IdxInsert");
      expect(entry).not.toContain("OpenEphemeral");
      const movement = opcodes(
        store.db,
        "INSERT INTO movements (chain, seq, epc, sku, gtin, kind, from_zone, to_zone, at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ["n", 1, "e", null, null, "receive", null, "dock", "t", "r"],
      );
      expect(movement).not.toContain("OpenEphemeral");
    } finally {
      store.close();
    }
  });

  it("keeps the credit decisions readable through their partial index", async () => {
    const store = new Store(await path());
    try {
      const plan = (
        store.db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT chain, seq FROM entries WHERE ${DECISION_TYPES_SQL} AND json_extract(data, '$.customer') = ? ORDER BY ts DESC LIMIT 5`,
          )
          .all("C-1") as { detail: string }[]
      ).map((row) => row.detail);
      expect(plan.join("\n")).toMatch(/USING INDEX entries_decision_(customer|ts)/);
      expect(plan.join("\n")).not.toMatch(/SCAN entries\b(?! USING)/);
    } finally {
      store.close();
    }
  });

  it("drops from a 0.13 store the indexes no query used, and rebuilds the decision indexes", async () => {
    const file = await path();
    new Store(file).close();
    // As 0.13 left them.
    const old = new Database(file);
    old.exec(`
      DROP INDEX entries_decision_ts; DROP INDEX entries_decision_customer;
      CREATE INDEX entries_decisions ON entries (ts) WHERE type IN ('credit.decision', 'credit.checked');
      CREATE INDEX entries_decisions_customer ON entries (json_extract(data, '$.customer'), ts) WHERE type IN ('credit.decision', 'credit.checked');
      CREATE INDEX movements_sku ON movements (sku, received_at);
      CREATE INDEX movements_gtin ON movements (gtin, received_at);`);
    old.close();
    const store = new Store(file);
    try {
      expect(indexes(store.db, "entries")).toEqual([
        "entries_decision_customer",
        "entries_decision_ts",
      ]);
      expect(indexes(store.db, "movements")).toEqual(["movements_epc", "movements_received"]);
    } finally {
      store.close();
    }
  });
});

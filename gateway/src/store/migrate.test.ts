import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { gtinLookup } from "./identity.js";
import { Store } from "./store.js";

const GTIN = "03760000000024";
const SCHEMA_1 = readFileSync(new URL("./fixtures/schema-v1.sql", import.meta.url), "utf8");

/** A store as 0.5 left it: an unregistered SGTIN's GTIN stored as its SKU everywhere. */
function store05(path: string): void {
  const db = new Database(path);
  db.exec(SCHEMA_1);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema', '1')").run();
  db.prepare(
    "INSERT INTO nodes (id, public_key, enrolled_at) VALUES ('dock-1', 'aa', '2026-01-01')",
  ).run();
  const movement = (
    seq: number,
    epc: string,
    kind: string,
    from: string | null,
    to: string | null,
  ) => {
    const data = {
      epc,
      sku: GTIN,
      gtin: GTIN,
      kind,
      from,
      to,
      reader: "door",
      antennas: [1, 2],
      reads: 2,
      at: `2026-03-0${seq}T08:00:00.000Z`,
      ...(kind === "ship" ? { order: "SO-1", customer: "acme" } : {}),
    };
    db.prepare("INSERT INTO entries VALUES ('dock-1', ?, ?, 'movement', ?, 'p', 'h', ?)").run(
      seq,
      data.at,
      JSON.stringify(data),
      data.at,
    );
    db.prepare("INSERT INTO movements VALUES ('dock-1', ?, ?, ?, ?, ?, ?, ?, ?)").run(
      seq,
      epc,
      GTIN,
      kind,
      from,
      to,
      data.at,
      data.at,
    );
  };
  movement(1, "3034A", "receive", null, "dock");
  movement(2, "3034B", "receive", null, "dock");
  movement(3, "3034B", "ship", "dock", null);
  db.prepare(
    "INSERT INTO tags VALUES ('3034A', ?, 'dock', 'dock-1', 1), ('3034B', ?, NULL, 'dock-1', 3)",
  ).run(GTIN, GTIN);
  db.prepare("INSERT INTO stock VALUES (?, 'dock', 1)").run(GTIN);
  db.prepare(
    "INSERT INTO shipments VALUES ('dock-1', 3, '3034B', ?, 'SO-1', 'acme', '2026-03-03T08:00:00.000Z')",
  ).run(GTIN);
  db.close();
}

describe("opening a store of 0.5", () => {
  it("keeps the GTIN, drops it as a SKU, and counts stock again under the product", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "comptoir-migrate-")), "gateway.db");
    store05(path);
    const store = new Store(path);
    try {
      // No product has the GTIN yet: an unknown product, not a SKU.
      expect(store.stock()).toEqual([{ sku: null, gtin: GTIN, zone: "dock", count: 1 }]);
      store.db.prepare("INSERT INTO product_gtins (gtin, sku) VALUES (?, 'NUT-8')").run(GTIN);
      expect(gtinLookup(store.db)(GTIN)).toBe("NUT-8");
      expect(store.stock()).toEqual([{ sku: "NUT-8", zone: "dock", count: 1 }]);
      expect(store.movements({ limit: 10 }).map((m) => [m.sku, m.gtin])).toEqual([
        ["NUT-8", GTIN],
        ["NUT-8", GTIN],
        ["NUT-8", GTIN],
      ]);
      expect(store.db.prepare("SELECT sku, gtin FROM shipments").all()).toEqual([
        { sku: null, gtin: GTIN },
      ]);
      expect(store.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({
        value: "2",
      });
    } finally {
      store.close();
    }
    // Opening it again changes nothing.
    const again = new Store(path);
    again.db
      .prepare("INSERT OR IGNORE INTO product_gtins (gtin, sku) VALUES (?, 'NUT-8')")
      .run(GTIN);
    expect(again.stock()).toEqual([{ sku: "NUT-8", zone: "dock", count: 1 }]);
    again.close();
  });

  it("refuses a store of a schema it does not know", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "comptoir-migrate-")), "gateway.db");
    const db = new Database(path);
    db.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES ('schema', '9')",
    );
    db.close();
    expect(() => new Store(path)).toThrow(/schema 9, which this version does not know/);
  });
});

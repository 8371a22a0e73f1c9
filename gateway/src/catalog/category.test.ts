import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { Catalog } from "./service.js";

/** A product's category (issue 16: margin floors per category), on new stores and on stores made before it. */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function open() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-category-"));
  dirs.push(dir);
  const clock = new ManualClock("2026-12-01T09:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  return { store, ledger, clock };
}

const system = { kind: "system", id: "test" } as const;
const drill = {
  sku: "DRL-18V",
  name: "Drill 18 V",
  unitPrice: { amount: 8000, currency: "EUR" },
  unitCost: { amount: 5000, currency: "EUR" },
};

describe("product category", () => {
  it("is kept, changed and cleared with the product, and recorded in the ledger", async () => {
    const { store, ledger } = await open();
    const catalog = new Catalog(store.db, ledger);
    catalog.saveProduct({ ...drill, category: "power-tools" }, system, "create");
    expect(catalog.product("DRL-18V")?.category).toBe("power-tools");
    catalog.saveProduct({ ...drill, category: "garden" }, system, "replace");
    expect(catalog.products()[0]?.category).toBe("garden");
    // A product given without one has none: PUT replaces the whole product.
    catalog.saveProduct(drill, system, "replace");
    expect(catalog.product("DRL-18V")).not.toHaveProperty("category");
    const changed = store.db
      .prepare("SELECT data FROM entries WHERE type = 'product.changed' ORDER BY seq")
      .all() as { data: string }[];
    expect(JSON.parse(changed[0]?.data ?? "{}")).toMatchObject({
      product: { category: "garden" },
      before: { category: "power-tools" },
    });
    store.close();
  });

  it("refuses an empty or over-long category", async () => {
    const { store, ledger } = await open();
    const catalog = new Catalog(store.db, ledger);
    expect(() => catalog.saveProduct({ ...drill, category: " " }, system, "create")).toThrow();
    expect(() =>
      catalog.saveProduct({ ...drill, category: "x".repeat(65) }, system, "create"),
    ).toThrow();
    expect(catalog.products()).toEqual([]);
    store.close();
  });

  it("is added to a store made before categories, its products kept and without one", async () => {
    const { store, ledger } = await open();
    // The products table as it was before issue 16, with one product in it.
    store.db.exec("DROP TABLE IF EXISTS products");
    store.db.exec(`CREATE TABLE products (
      sku TEXT PRIMARY KEY, gtin TEXT UNIQUE, name TEXT NOT NULL, unit_price INTEGER NOT NULL,
      unit_cost INTEGER NOT NULL, currency TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
    ) STRICT`);
    store.db.exec(
      "INSERT INTO products VALUES ('OLD-1', NULL, 'Old', 100, 50, 'EUR', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
    );
    const catalog = new Catalog(store.db, ledger);
    expect(catalog.product("OLD-1")).toMatchObject({ sku: "OLD-1", name: "Old" });
    expect(catalog.product("OLD-1")).not.toHaveProperty("category");
    catalog.saveProduct(
      { ...drill, sku: "OLD-1", name: "Old", category: "hardware" },
      system,
      "replace",
    );
    expect(catalog.product("OLD-1")?.category).toBe("hardware");
    // Opening it again finds the column there and leaves it alone.
    expect(new Catalog(store.db, ledger).product("OLD-1")?.category).toBe("hardware");
    store.close();
  });
});

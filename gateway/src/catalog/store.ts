import type { Money } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { PRODUCT_GTINS_SCHEMA } from "../store/identity.js";
import { prepared } from "../store/prepared.js";
import type { Customer, Product, Stamped } from "./schemas.js";

const TABLES = `
CREATE TABLE IF NOT EXISTS products (
  sku TEXT PRIMARY KEY,
  gtin TEXT UNIQUE,
  name TEXT NOT NULL,
  unit_price INTEGER NOT NULL,
  unit_cost INTEGER NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  category TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS customers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  credit_limit INTEGER,
  currency TEXT,
  payment_terms_days INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;

interface ProductRow {
  sku: string;
  gtin: string | null;
  name: string;
  unit_price: number;
  unit_cost: number;
  currency: string;
  created_at: string;
  updated_at: string;
  category: string | null;
}

interface CustomerRow {
  id: string;
  name: string;
  credit_limit: number | null;
  currency: string | null;
  payment_terms_days: number;
  created_at: string;
  updated_at: string;
}

/**
 * Creates the catalog's tables when missing, and adds the columns later
 * versions brought to a store made before them (`category`, issue 16), so
 * readers of products (margins) can rely on them without a Catalog.
 */
export function createCatalogTables(db: Database.Database): void {
  db.exec(TABLES);
  db.exec(PRODUCT_GTINS_SCHEMA);
  const columns = db.prepare<[], { name: string }>("PRAGMA table_info(products)").all();
  if (!columns.some((column) => column.name === "category")) {
    db.exec("ALTER TABLE products ADD COLUMN category TEXT");
  }
}

/**
 * The catalog's tables in the gateway's store: products (with every GTIN of
 * each in `product_gtins`) and customers. Reads and writes rows only; the
 * rules, the ledger and the transactions are the service's (service.ts).
 */
export class CatalogStore {
  constructor(private readonly db: Database.Database) {
    createCatalogTables(db);
    // Stores from before 0.6 knew one GTIN per product, in its row.
    this.db.exec(
      "INSERT OR IGNORE INTO product_gtins (gtin, sku) SELECT gtin, sku FROM products WHERE gtin IS NOT NULL",
    );
  }

  /** Runs `work` in one SQLite transaction: all of it is written, or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  products(): Stamped<Product>[] {
    const others = new Map<string, string[]>();
    for (const { sku, gtin } of prepared<[], { sku: string; gtin: string }>(
      this.db,
      "SELECT pg.sku, pg.gtin FROM product_gtins pg JOIN products p ON p.sku = pg.sku WHERE p.gtin IS NOT pg.gtin ORDER BY pg.gtin",
    ).all()) {
      others.set(sku, [...(others.get(sku) ?? []), gtin]);
    }
    return prepared<[], ProductRow>(this.db, "SELECT * FROM products ORDER BY sku")
      .all()
      .map((row) => toProduct(row, others.get(row.sku) ?? []));
  }

  product(sku: string): Stamped<Product> | undefined {
    const row = prepared<[string], ProductRow>(this.db, "SELECT * FROM products WHERE sku = ?").get(
      sku,
    );
    return row ? toProduct(row, this.otherGtins(row)) : undefined;
  }

  private otherGtins(row: ProductRow): string[] {
    return prepared<[string, string | null], { gtin: string }>(
      this.db,
      "SELECT gtin FROM product_gtins WHERE sku = ? AND gtin IS NOT ? ORDER BY gtin",
    )
      .all(row.sku, row.gtin)
      .map((other) => other.gtin);
  }

  nameOf(sku: string): string | undefined {
    return prepared<[string], { name: string }>(
      this.db,
      "SELECT name FROM products WHERE sku = ?",
    ).get(sku)?.name;
  }

  unitPriceOf(sku: string): number | undefined {
    return prepared<[string], { unit_price: number }>(
      this.db,
      "SELECT unit_price FROM products WHERE sku = ?",
    ).get(sku)?.unit_price;
  }

  unitPriceIn(sku: string, currency: string): number | undefined {
    return prepared<[string, string], { unit_price: number }>(
      this.db,
      "SELECT unit_price FROM products WHERE sku = ? AND currency = ?",
    ).get(sku, currency)?.unit_price;
  }

  skuOfGtin(gtin: string): string | undefined {
    return prepared<[string], { sku: string }>(
      this.db,
      "SELECT sku FROM product_gtins WHERE gtin = ?",
    ).get(gtin)?.sku;
  }

  /** The SKU of another product than `sku` that has `gtin`, if any. */
  otherHolderOf(gtin: string, sku: string): string | undefined {
    return prepared<[string, string], { sku: string }>(
      this.db,
      "SELECT sku FROM product_gtins WHERE gtin = ? AND sku <> ?",
    ).get(gtin, sku)?.sku;
  }

  /** Inserts or replaces the product's row and its GTINs (main one first). */
  writeProduct(product: Product, gtins: readonly string[], now: string): void {
    prepared(
      this.db,
      `INSERT INTO products (sku, gtin, name, unit_price, unit_cost, currency, category, created_at, updated_at)
         VALUES (@sku, @gtin, @name, @price, @cost, @currency, @category, @now, @now)
         ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, name = excluded.name,
           unit_price = excluded.unit_price, unit_cost = excluded.unit_cost,
           currency = excluded.currency, category = excluded.category, updated_at = excluded.updated_at`,
    ).run({
      sku: product.sku,
      gtin: product.gtin,
      name: product.name,
      price: product.unitPrice.amount,
      cost: product.unitCost.amount,
      currency: product.unitPrice.currency,
      category: product.category ?? null,
      now,
    });
    // Projections find products through this table when read: past items of a GTIN
    // given here now count under this product (store/identity.ts).
    prepared(this.db, "DELETE FROM product_gtins WHERE sku = ?").run(product.sku);
    const add = prepared(this.db, "INSERT INTO product_gtins (gtin, sku) VALUES (?, ?)");
    for (const gtin of gtins) add.run(gtin, product.sku);
  }

  /**
   * Takes every GTIN from these products, before a batch writes them again:
   * a GTIN that moves from one to another in the same import is free when
   * the second is written, whatever their order in the file.
   */
  releaseGtins(skus: readonly string[]): void {
    const clearMain = prepared(this.db, "UPDATE products SET gtin = NULL WHERE sku = ?");
    const clearAll = prepared(this.db, "DELETE FROM product_gtins WHERE sku = ?");
    for (const sku of skus) {
      clearMain.run(sku);
      clearAll.run(sku);
    }
  }

  customers(): Stamped<Customer>[] {
    return prepared<[], CustomerRow>(this.db, "SELECT * FROM customers ORDER BY id")
      .all()
      .map(toCustomer);
  }

  customer(id: string): Stamped<Customer> | undefined {
    const row = prepared<[string], CustomerRow>(
      this.db,
      "SELECT * FROM customers WHERE id = ?",
    ).get(id);
    return row ? toCustomer(row) : undefined;
  }

  /** Inserts or replaces the customer's row; an unlimited credit limit is stored as NULL. */
  writeCustomer(customer: Customer, now: string): void {
    const limit = customer.creditLimit === "unlimited" ? null : customer.creditLimit;
    prepared(
      this.db,
      `INSERT INTO customers (id, name, credit_limit, currency, payment_terms_days, created_at, updated_at)
         VALUES (@id, @name, @limit, @currency, @terms, @now, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit_limit = excluded.credit_limit,
           currency = excluded.currency, payment_terms_days = excluded.payment_terms_days,
           updated_at = excluded.updated_at`,
    ).run({
      id: customer.id,
      name: customer.name,
      limit: limit?.amount ?? null,
      currency: limit?.currency ?? null,
      terms: customer.paymentTermsDays,
      now,
    });
  }
}

function toProduct(row: ProductRow, gtins: string[]): Stamped<Product> {
  const money = (amount: number): Money => ({ amount, currency: row.currency });
  return {
    sku: row.sku,
    gtin: row.gtin,
    gtins,
    name: row.name,
    unitPrice: money(row.unit_price),
    unitCost: money(row.unit_cost),
    // Only when set: a product without one reads as before categories existed.
    ...(row.category === null ? {} : { category: row.category }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toCustomer(row: CustomerRow): Stamped<Customer> {
  return {
    id: row.id,
    name: row.name,
    creditLimit:
      row.credit_limit === null || row.currency === null
        ? "unlimited"
        : { amount: row.credit_limit, currency: row.currency },
    paymentTermsDays: row.payment_terms_days,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import {
  type Clock,
  GtinSchema,
  type Money,
  MoneySchema,
  SkuSchema,
  systemClock,
  TopicIdSchema,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { z } from "zod";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { PRODUCT_GTINS_SCHEMA } from "./identity.js";

/** An amount that cannot be negative: prices, costs, credit limits. */
const Amount = MoneySchema.refine((value) => value.amount >= 0, {
  message: "cannot be negative",
  path: ["amount"],
});

export const ProductSchema = z.strictObject({
  sku: SkuSchema,
  /** The product's main GTIN (the one the catalog sent to nodes before 0.6). */
  gtin: GtinSchema.nullable().default(null),
  /** Its other GTINs: other pack sizes, a new label. Tags of any of them are this product. */
  gtins: z.array(GtinSchema).max(64).default([]),
  name: z.string().trim().min(1).max(200),
  unitPrice: Amount,
  unitCost: Amount,
});
export type Product = z.infer<typeof ProductSchema>;
export type ProductInput = z.input<typeof ProductSchema>;

export const CreditLimitSchema = z
  .union([Amount, z.literal("unlimited")])
  .describe('the most the customer may owe, or "unlimited"');

export const CustomerSchema = z.strictObject({
  /** Also an MQTT topic level (`credit/<customer>`), hence the id rules. */
  id: TopicIdSchema,
  name: z.string().trim().min(1).max(200),
  creditLimit: CreditLimitSchema,
  paymentTermsDays: z.number().int().min(0).max(365),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** What changed, for listeners. */
export interface CatalogChange {
  kind: "product" | "customer";
  id: string;
}

export type Stamped<T> = T & { createdAt: string; updatedAt: string };

const TABLES = `
CREATE TABLE IF NOT EXISTS products (
  sku TEXT PRIMARY KEY,
  gtin TEXT UNIQUE,
  name TEXT NOT NULL,
  unit_price INTEGER NOT NULL,
  unit_cost INTEGER NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
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

/** A business rule refused the change (HTTP 422); nothing was written. */
export class CatalogRuleError extends Error {
  override name = "CatalogRuleError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The change conflicts with what is stored (HTTP 409); nothing was written. */
export class CatalogConflictError extends Error {
  override name = "CatalogConflictError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * Products and customers: the site's business data, in their own tables of
 * the gateway's store. Every create and change is recorded in the gateway's
 * ledger, with who made it, in the same transaction as the change.
 */
export class Catalog {
  private readonly clock: Clock;
  private readonly listeners = new Set<(change: CatalogChange) => void>();
  private priceBySku: Database.Statement<[string], { unit_price: number }> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    options: { clock?: Clock } = {},
  ) {
    this.db.exec(TABLES);
    this.db.exec(PRODUCT_GTINS_SCHEMA);
    // Stores from before 0.6 knew one GTIN per product, in its row.
    this.db.exec(
      "INSERT OR IGNORE INTO product_gtins (gtin, sku) SELECT gtin, sku FROM products WHERE gtin IS NOT NULL",
    );
    this.clock = options.clock ?? systemClock;
  }

  /** Calls `listener` after each committed change (credit snapshots and the catalog republish); returns the unsubscribe function. */
  onChange(listener: (change: CatalogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: CatalogChange): void {
    for (const listener of this.listeners) listener(change);
  }

  products(): Stamped<Product>[] {
    const others = new Map<string, string[]>();
    for (const { sku, gtin } of this.db
      .prepare<[], { sku: string; gtin: string }>(
        "SELECT pg.sku, pg.gtin FROM product_gtins pg JOIN products p ON p.sku = pg.sku WHERE p.gtin IS NOT pg.gtin ORDER BY pg.gtin",
      )
      .all()) {
      others.set(sku, [...(others.get(sku) ?? []), gtin]);
    }
    return this.db
      .prepare<[], ProductRow>("SELECT * FROM products ORDER BY sku")
      .all()
      .map((row) => toProduct(row, others.get(row.sku) ?? []));
  }

  product(sku: string): Stamped<Product> | undefined {
    const row = this.db
      .prepare<[string], ProductRow>("SELECT * FROM products WHERE sku = ?")
      .get(sku);
    return row ? toProduct(row, this.otherGtins(row)) : undefined;
  }

  private otherGtins(row: ProductRow): string[] {
    return this.db
      .prepare<[string, string | null], { gtin: string }>(
        "SELECT gtin FROM product_gtins WHERE sku = ? AND gtin IS NOT ? ORDER BY gtin",
      )
      .all(row.sku, row.gtin)
      .map((other) => other.gtin);
  }

  /** A product's unit price in minor units, for lookups made item by item (reconciliation). */
  unitPriceOf(sku: string): number | undefined {
    this.priceBySku ??= this.db.prepare<[string], { unit_price: number }>(
      "SELECT unit_price FROM products WHERE sku = ?",
    );
    return this.priceBySku.get(sku)?.unit_price;
  }

  /** A product's unit price when it is in `currency` (exposure values shipped goods in the site's). */
  unitPriceIn(sku: string, currency: string): number | undefined {
    return this.db
      .prepare<[string, string], { unit_price: number }>(
        "SELECT unit_price FROM products WHERE sku = ? AND currency = ?",
      )
      .get(sku, currency)?.unit_price;
  }

  /** The SKU of the product with this GTIN (its main one or another). */
  skuOfGtin(gtin: string): string | undefined {
    return this.db
      .prepare<[string], { sku: string }>("SELECT sku FROM product_gtins WHERE gtin = ?")
      .get(gtin)?.sku;
  }

  /** Creates a product; or, with `replace`, changes an existing one. */
  saveProduct(input: ProductInput, actor: Actor, mode: "create" | "replace"): Stamped<Product> {
    const product = ProductSchema.parse(input);
    if (product.unitPrice.currency !== product.unitCost.currency) {
      throw new CatalogRuleError(
        `unit price is in ${product.unitPrice.currency} but unit cost in ${product.unitCost.currency}: give both in the same currency`,
        "unitCost.currency",
      );
    }
    const gtins = [...(product.gtin ? [product.gtin] : []), ...product.gtins];
    const twice = gtins.findIndex((gtin, index) => gtins.indexOf(gtin) !== index);
    if (twice >= 0) {
      throw new CatalogRuleError(
        `GTIN ${gtins[twice]} is given twice: give each GTIN of the product once`,
        `gtins.${twice - (product.gtin ? 1 : 0)}`,
      );
    }
    const now = this.clock.now().toISOString();
    const saved = this.db.transaction(() => {
      const before = this.product(product.sku);
      if (mode === "create" && before) {
        throw new CatalogConflictError(
          `product ${product.sku} already exists — change it with PUT /api/v1/products/${product.sku}`,
          "sku",
        );
      }
      if (mode === "replace" && !before) {
        throw new CatalogConflictError(`no product ${product.sku}`, "sku");
      }
      gtins.forEach((gtin, index) => {
        const holder = this.db
          .prepare<[string, string], { sku: string }>(
            "SELECT sku FROM product_gtins WHERE gtin = ? AND sku <> ?",
          )
          .get(gtin, product.sku);
        if (holder) {
          throw new CatalogConflictError(
            `GTIN ${gtin} already belongs to product ${holder.sku}`,
            product.gtin === gtin ? "gtin" : `gtins.${index - (product.gtin ? 1 : 0)}`,
          );
        }
      });
      this.db
        .prepare(
          `INSERT INTO products (sku, gtin, name, unit_price, unit_cost, currency, created_at, updated_at)
           VALUES (@sku, @gtin, @name, @price, @cost, @currency, @now, @now)
           ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, name = excluded.name,
             unit_price = excluded.unit_price, unit_cost = excluded.unit_cost,
             currency = excluded.currency, updated_at = excluded.updated_at`,
        )
        .run({
          sku: product.sku,
          gtin: product.gtin,
          name: product.name,
          price: product.unitPrice.amount,
          cost: product.unitCost.amount,
          currency: product.unitPrice.currency,
          now,
        });
      // Projections find products through this table when read: past items of a GTIN
      // given here now count under this product (identity.ts).
      this.db.prepare("DELETE FROM product_gtins WHERE sku = ?").run(product.sku);
      const add = this.db.prepare("INSERT INTO product_gtins (gtin, sku) VALUES (?, ?)");
      for (const gtin of gtins) add.run(gtin, product.sku);
      this.ledger.record(
        before ? "product.changed" : "product.created",
        { product, ...(before ? { before: unstamp(before) } : {}) },
        actor,
      );
      return this.product(product.sku) as Stamped<Product>;
    })();
    this.changed({ kind: "product", id: saved.sku });
    return saved;
  }

  customers(): Stamped<Customer>[] {
    return this.db
      .prepare<[], CustomerRow>("SELECT * FROM customers ORDER BY id")
      .all()
      .map(toCustomer);
  }

  customer(id: string): Stamped<Customer> | undefined {
    const row = this.db
      .prepare<[string], CustomerRow>("SELECT * FROM customers WHERE id = ?")
      .get(id);
    return row ? toCustomer(row) : undefined;
  }

  saveCustomer(input: Customer, actor: Actor, mode: "create" | "replace"): Stamped<Customer> {
    const customer = CustomerSchema.parse(input);
    const now = this.clock.now().toISOString();
    const limit = customer.creditLimit === "unlimited" ? null : customer.creditLimit;
    const saved = this.db.transaction(() => {
      const before = this.customer(customer.id);
      if (mode === "create" && before) {
        throw new CatalogConflictError(
          `customer ${customer.id} already exists — change it with PUT /api/v1/customers/${customer.id}`,
          "id",
        );
      }
      if (mode === "replace" && !before) {
        throw new CatalogConflictError(`no customer ${customer.id}`, "id");
      }
      this.db
        .prepare(
          `INSERT INTO customers (id, name, credit_limit, currency, payment_terms_days, created_at, updated_at)
           VALUES (@id, @name, @limit, @currency, @terms, @now, @now)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit_limit = excluded.credit_limit,
             currency = excluded.currency, payment_terms_days = excluded.payment_terms_days,
             updated_at = excluded.updated_at`,
        )
        .run({
          id: customer.id,
          name: customer.name,
          limit: limit?.amount ?? null,
          currency: limit?.currency ?? null,
          terms: customer.paymentTermsDays,
          now,
        });
      this.ledger.record(
        before ? "customer.changed" : "customer.created",
        { customer, ...(before ? { before: unstamp(before) } : {}) },
        actor,
      );
      return this.customer(customer.id) as Stamped<Customer>;
    })();
    this.changed({ kind: "customer", id: saved.id });
    return saved;
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

function unstamp<T extends { createdAt: string; updatedAt: string }>(
  value: T,
): Omit<T, "createdAt" | "updatedAt"> {
  const { createdAt: _created, updatedAt: _updated, ...rest } = value;
  return rest;
}

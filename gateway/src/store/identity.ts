import type { SkuOfGtin } from "@comptoir/contracts";
import type Database from "better-sqlite3";

/**
 * Product identity (business-rules.md, "Product identity"): a product (SKU)
 * has one or more GTINs; an SGTIN tag's product is the one with its GTIN; a
 * tag commissioned explicitly to a SKU is that SKU. Projections store what
 * the tags said (the commissioned SKU, the GTIN) and find the product when
 * they are read, so a GTIN added to the catalog later puts past movements
 * under their product without ingesting anything again.
 *
 * The catalog writes this table; the store reads it. It lives in the
 * store's schema so that every projection can join it.
 */
export const PRODUCT_GTINS_SCHEMA = `
CREATE TABLE IF NOT EXISTS product_gtins (
  gtin TEXT PRIMARY KEY,
  sku TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS product_gtins_sku ON product_gtins (sku);
`;

/** SQL: the product of the row `alias` (its `sku` column, else the product of its `gtin` column). */
export function productSql(alias: string): string {
  return `COALESCE(${alias}.sku, (SELECT pg.sku FROM product_gtins pg WHERE pg.gtin = ${alias}.gtin))`;
}

/** SQL: the row `alias` belongs to the product `@sku` (uses the sku and gtin indexes). */
export function ofProductSql(alias: string, parameter = "@sku"): string {
  return `(${alias}.sku = ${parameter} OR (${alias}.sku IS NULL AND ${alias}.gtin IN (SELECT pg.gtin FROM product_gtins pg WHERE pg.sku = ${parameter})))`;
}

/** GTIN → SKU lookups against the catalog as it is now, prepared once per connection. */
export function gtinLookup(db: Database.Database): SkuOfGtin {
  const statement = db.prepare<[string], { sku: string }>(
    "SELECT sku FROM product_gtins WHERE gtin = ?",
  );
  return (gtin) => statement.get(gtin)?.sku;
}

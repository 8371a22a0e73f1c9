import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import { WriteCounts } from "../store/write-counts.js";

/** What the book takes from the catalog: each product's cost, and which product each GTIN names. */
export interface CatalogFacts {
  costs: Map<string, number>;
  owners: Map<string, string>;
}

/** How the catalog moved between two reads, as the book sees it. */
export interface CatalogMove {
  /** Products whose catalog cost changed (their provisional layers follow it). */
  recosted: Set<string>;
  /** GTINs a product lost or that changed product: past movements may change product. */
  regiven: string[];
  /** GTINs no product had before. */
  added: string[];
}

const EMPTY: CatalogFacts = { costs: new Map(), owners: new Map() };

function hasProducts(db: Database.Database): boolean {
  return (
    prepared<[], { found: number }>(
      db,
      "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'products'",
    ).get() !== undefined
  );
}

/**
 * The catalog as valuation reads it, and a cheap stamp that tells whether
 * it changed since the last read (the products' and GTINs' write counts),
 * so that each read of the book need not read the catalog.
 */
export class CatalogView {
  /** Made once the catalog's tables exist (the catalog may be set up after valuation). */
  private counts: WriteCounts | undefined;

  constructor(private readonly db: Database.Database) {}

  stamp(): string {
    if (!hasProducts(this.db)) return "";
    this.counts ??= new WriteCounts(this.db, ["products", "product_gtins"]);
    return this.counts.read().join("/");
  }

  read(): CatalogFacts {
    if (!hasProducts(this.db)) return EMPTY;
    const costs = new Map<string, number>();
    for (const row of prepared<[], { sku: string; unit_cost: number }>(
      this.db,
      "SELECT sku, unit_cost FROM products",
    ).all()) {
      costs.set(row.sku, row.unit_cost);
    }
    const owners = new Map<string, string>();
    for (const row of prepared<[], { gtin: string; sku: string }>(
      this.db,
      "SELECT gtin, sku FROM product_gtins",
    ).all()) {
      owners.set(row.gtin, row.sku);
    }
    return { costs, owners };
  }
}

/** What changed from `before` to `after`. */
export function catalogMove(before: CatalogFacts, after: CatalogFacts): CatalogMove {
  const recosted = new Set<string>();
  for (const [sku, cost] of after.costs) {
    if ((before.costs.get(sku) ?? 0) !== cost) recosted.add(sku);
  }
  for (const sku of before.costs.keys()) if (!after.costs.has(sku)) recosted.add(sku);
  const regiven: string[] = [];
  for (const [gtin, sku] of before.owners) if (after.owners.get(gtin) !== sku) regiven.push(gtin);
  const added = [...after.owners.keys()].filter((gtin) => !before.owners.has(gtin));
  return { recosted, regiven, added };
}

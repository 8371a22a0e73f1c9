import { type Clock, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { type CatalogChange, CatalogChanges } from "./changes.js";
import { CatalogConflictError, CatalogRuleError } from "./errors.js";
import { gtinsOf, productRuleProblems } from "./rules.js";
import {
  type Customer,
  CustomerSchema,
  type Product,
  type ProductInput,
  ProductSchema,
  type Stamped,
} from "./schemas.js";
import { CatalogStore } from "./store.js";

/**
 * Products and customers: the site's business data, in their own tables of
 * the gateway's store. Every create and change is recorded in the gateway's
 * ledger, with who made it, in the same transaction as the change.
 */
export class Catalog {
  private readonly clock: Clock;
  private readonly rows: CatalogStore;
  private readonly changes: CatalogChanges;

  constructor(db: Database.Database, ledger: GatewayLedger, options: { clock?: Clock } = {}) {
    this.rows = new CatalogStore(db);
    this.changes = new CatalogChanges(ledger);
    this.clock = options.clock ?? systemClock;
  }

  /** Calls `listener` after each committed change (credit snapshots and the catalog republish); returns the unsubscribe function. */
  onChange(listener: (change: CatalogChange) => void): () => void {
    return this.changes.subscribe(listener);
  }

  /**
   * Runs `work`, a transaction of the caller's that changes the catalog (a
   * file drop importing master data with its own bookkeeping): listeners
   * hear of its changes once it returned, never of a rolled-back one.
   */
  hold<T>(work: () => T): T {
    return this.changes.hold(work);
  }

  products(): Stamped<Product>[] {
    return this.rows.products();
  }

  product(sku: string): Stamped<Product> | undefined {
    return this.rows.product(sku);
  }

  /** A product's name, for reports that list products one by one (one indexed read, no GTINs). */
  nameOf(sku: string): string | undefined {
    return this.rows.nameOf(sku);
  }

  /** A product's unit price in minor units, for lookups made item by item (reconciliation). */
  unitPriceOf(sku: string): number | undefined {
    return this.rows.unitPriceOf(sku);
  }

  /** A product's unit price when it is in `currency` (exposure values shipped goods in the site's). */
  unitPriceIn(sku: string, currency: string): number | undefined {
    return this.rows.unitPriceIn(sku, currency);
  }

  /** The SKU of the product with this GTIN (its main one or another). */
  skuOfGtin(gtin: string): string | undefined {
    return this.rows.skuOfGtin(gtin);
  }

  /** Creates a product; or, with `replace`, changes an existing one. */
  saveProduct(input: ProductInput, actor: Actor, mode: "create" | "replace"): Stamped<Product> {
    const product = ProductSchema.parse(input);
    const broken = productRuleProblems(product)[0];
    if (broken) throw new CatalogRuleError(broken.message, broken.path.join("."));
    const now = this.clock.now().toISOString();
    const saved = this.rows.transaction(() => {
      const before = this.rows.product(product.sku);
      if (mode === "create" && before) {
        throw new CatalogConflictError(
          `product ${product.sku} already exists — change it with PUT /api/v1/products/${product.sku}`,
          "sku",
        );
      }
      if (mode === "replace" && !before) {
        throw new CatalogConflictError(`no product ${product.sku}`, "sku");
      }
      this.writeProduct(product, before, actor, now);
      return this.rows.product(product.sku) as Stamped<Product>;
    });
    this.changes.committed({ kind: "product", ids: [saved.sku] });
    return saved;
  }

  customers(): Stamped<Customer>[] {
    return this.rows.customers();
  }

  customer(id: string): Stamped<Customer> | undefined {
    return this.rows.customer(id);
  }

  saveCustomer(input: Customer, actor: Actor, mode: "create" | "replace"): Stamped<Customer> {
    const customer = CustomerSchema.parse(input);
    const now = this.clock.now().toISOString();
    const saved = this.rows.transaction(() => {
      const before = this.rows.customer(customer.id);
      if (mode === "create" && before) {
        throw new CatalogConflictError(
          `customer ${customer.id} already exists — change it with PUT /api/v1/customers/${customer.id}`,
          "id",
        );
      }
      if (mode === "replace" && !before) {
        throw new CatalogConflictError(`no customer ${customer.id}`, "id");
      }
      this.rows.writeCustomer(customer, now);
      this.changes.recordCustomer(customer, before, actor);
      return this.rows.customer(customer.id) as Stamped<Customer>;
    });
    this.changes.committed({ kind: "customer", ids: [saved.id] });
    return saved;
  }

  /**
   * Writes a batch of products or customers given whole (a master-data
   * import, which checked them first: see master-data/), each created or
   * replaced and recorded in the ledger like saveProduct and saveCustomer,
   * with what it was before. All of it in ONE transaction, `within` last
   * (the caller's own rows: a file-drop's bookkeeping), so everything
   * commits or nothing does. Listeners are told once, after the commit,
   * with every id written: the catalog is republished once per batch.
   */
  writeBatch(batch: CatalogBatch, actor: Actor, within?: () => void): void {
    const now = this.clock.now().toISOString();
    this.rows.transaction(() => {
      if (batch.kind === "customer") {
        for (const input of batch.items) {
          const customer = CustomerSchema.parse(input);
          const before = this.rows.customer(customer.id);
          this.rows.writeCustomer(customer, now);
          this.changes.recordCustomer(customer, before, actor);
        }
      } else {
        const products = batch.items.map((product) => ProductSchema.parse(product));
        for (const product of products) {
          const broken = productRuleProblems(product)[0];
          if (broken)
            throw new CatalogRuleError(
              `product ${product.sku}: ${broken.message}`,
              broken.path.join("."),
            );
        }
        // Read before the GTINs are released, so the ledger says what each product was.
        const befores = products.map((product) => this.rows.product(product.sku));
        this.rows.releaseGtins(products.map((product) => product.sku));
        products.forEach((product, index) => {
          this.writeProduct(product, befores[index], actor, now);
        });
      }
      within?.();
    });
    const ids =
      batch.kind === "customer" ? batch.items.map((c) => c.id) : batch.items.map((p) => p.sku);
    if (ids.length > 0) this.changes.committed({ kind: batch.kind, ids });
  }

  /** Writes one product and records it; inside a transaction. Refuses a GTIN another product holds. */
  private writeProduct(
    product: Product,
    before: Stamped<Product> | undefined,
    actor: Actor,
    now: string,
  ): void {
    const gtins = gtinsOf(product);
    gtins.forEach((gtin, index) => {
      const holder = this.rows.otherHolderOf(gtin, product.sku);
      if (holder) {
        throw new CatalogConflictError(
          `GTIN ${gtin} already belongs to product ${holder}`,
          product.gtin === gtin ? "gtin" : `gtins.${index - (product.gtin ? 1 : 0)}`,
        );
      }
    });
    this.rows.writeProduct(product, gtins, now);
    this.changes.recordProduct(product, before, actor);
  }
}

/** What `Catalog.writeBatch` writes: products, or customers, each given whole. */
export type CatalogBatch =
  | { kind: "product"; items: readonly Product[] }
  | { kind: "customer"; items: readonly Customer[] };

import { type Clock, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { type CatalogChange, CatalogChanges } from "./changes.js";
import { CatalogConflictError, CatalogRuleError } from "./errors.js";
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
      return this.rows.product(product.sku) as Stamped<Product>;
    });
    this.changes.committed({ kind: "product", id: saved.sku });
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
    this.changes.committed({ kind: "customer", id: saved.id });
    return saved;
  }
}

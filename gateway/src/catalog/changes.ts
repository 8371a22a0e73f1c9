import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { Customer, Product, Stamped } from "./schemas.js";

/**
 * What changed, for listeners: one product or customer (the single routes),
 * or every one an import wrote, told once so that the catalog is
 * republished once per file rather than once per row.
 */
export interface CatalogChange {
  kind: "product" | "customer";
  ids: readonly string[];
}

/**
 * Where a catalog change is told: in the gateway's ledger (inside the
 * change's transaction, with who made it and what it was before), then to
 * listeners once it committed (credit snapshots, the catalog republish).
 */
export class CatalogChanges {
  private readonly listeners = new Set<(change: CatalogChange) => void>();

  constructor(private readonly ledger: GatewayLedger) {}

  /** Records a product's creation or change; call it inside the write's transaction. */
  recordProduct(product: Product, before: Stamped<Product> | undefined, actor: Actor): void {
    this.ledger.record(
      before ? "product.changed" : "product.created",
      { product, ...(before ? { before: unstamp(before) } : {}) },
      actor,
    );
  }

  /** Records a customer's creation or change; call it inside the write's transaction. */
  recordCustomer(customer: Customer, before: Stamped<Customer> | undefined, actor: Actor): void {
    this.ledger.record(
      before ? "customer.changed" : "customer.created",
      { customer, ...(before ? { before: unstamp(before) } : {}) },
      actor,
    );
  }

  /** Calls `listener` after each committed change; returns the unsubscribe function. */
  subscribe(listener: (change: CatalogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners; call it once the change committed. */
  committed(change: CatalogChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function unstamp<T extends { createdAt: string; updatedAt: string }>(
  value: T,
): Omit<T, "createdAt" | "updatedAt"> {
  const { createdAt: _created, updatedAt: _updated, ...rest } = value;
  return rest;
}

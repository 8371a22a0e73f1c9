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
  /** Ids gathered by `hold`, innermost last. */
  private readonly held: Record<CatalogChange["kind"], Set<string>>[] = [];

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

  /**
   * Runs `work` (a caller's transaction that writes to the catalog, such as
   * a file drop's import and its own bookkeeping): the changes committed
   * inside it are told once it returns, one per kind, never if it throws.
   */
  hold<T>(work: () => T): T {
    const held = { product: new Set<string>(), customer: new Set<string>() };
    this.held.push(held);
    let result: T;
    try {
      result = work();
    } finally {
      this.held.pop();
    }
    for (const kind of ["product", "customer"] as const) {
      if (held[kind].size > 0) this.committed({ kind, ids: [...held[kind]] });
    }
    return result;
  }

  /** Tells the listeners; call it once the change committed (inside `hold`: once the hold ends). */
  committed(change: CatalogChange): void {
    const outer = this.held.at(-1);
    if (outer) {
      for (const id of change.ids) outer[change.kind].add(id);
      return;
    }
    for (const listener of this.listeners) listener(change);
  }
}

function unstamp<T extends { createdAt: string; updatedAt: string }>(
  value: T,
): Omit<T, "createdAt" | "updatedAt"> {
  const { createdAt: _created, updatedAt: _updated, ...rest } = value;
  return rest;
}

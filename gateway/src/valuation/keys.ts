import type { LayerCost, LayerKey } from "./book.js";

/** A key nobody drew from or received under. */
export const NO_KEY = -1;

/**
 * Layer keys interned to small integers, with their cost in flat arrays:
 * the book's loops (value, COGS, value by day) read a unit's cost by index
 * instead of hashing a string per unit, and a supplier invoice that revalues
 * a layer writes one slot, whatever was drawn from it.
 */
export class LayerKeys {
  private readonly ids = new Map<LayerKey, number>();
  readonly key: LayerKey[] = [];
  readonly sku: string[] = [];
  readonly order: (string | null)[] = [];
  /** The unit cost every reader uses: the invoice's once set, else the catalog's. */
  readonly unitCost: number[] = [];
  readonly provisional: boolean[] = [];
  readonly invoice: (string | null)[] = [];
  /** Per key, all time: units received under it, units FIFO drew from it, units gone out that came in with it. */
  readonly received: number[] = [];
  readonly drawn: number[] = [];
  readonly drawnActual: number[] = [];

  constructor(private readonly catalogCost: (sku: string) => number) {}

  /** The id of `key`, registering it (at the catalog cost, provisional) the first time. */
  id(key: LayerKey): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.key.length;
    const cut = key.indexOf("\u0000");
    const sku = cut < 0 ? key : key.slice(0, cut);
    const rest = cut < 0 ? "" : key.slice(cut + 1);
    this.ids.set(key, id);
    this.key.push(key);
    this.sku.push(sku);
    // unreceivedKey's tail starts with a second NUL: no order.
    this.order.push(rest === "" || rest.startsWith("\u0000") ? null : rest);
    this.unitCost.push(this.catalogCost(sku));
    this.provisional.push(true);
    this.invoice.push(null);
    this.received.push(0);
    this.drawn.push(0);
    this.drawnActual.push(0);
    return id;
  }

  find(key: LayerKey): number | undefined {
    return this.ids.get(key);
  }

  set(id: number, cost: LayerCost): void {
    this.unitCost[id] = cost.unitCost;
    this.provisional[id] = cost.provisional;
    this.invoice[id] = cost.invoice;
  }

  cost(id: number): LayerCost {
    return {
      unitCost: this.unitCost[id] as number,
      provisional: this.provisional[id] as boolean,
      invoice: this.invoice[id] as string | null,
    };
  }
}

import type { BasketItem } from "../movements/events.js";

/**
 * The basket the clerk sees: the tags on the counter reader, minus those
 * taken off on screen or already sold (until they leave the counter), plus
 * products added by GTIN. The reader decides what is present; the screen
 * only hides and adds.
 */
export class CounterBasket {
  /** Tags removed on screen or sold: hidden while they stay on the counter. */
  private readonly hidden = new Set<string>();
  private readonly manual = new Map<string, number>();

  constructor(private readonly present: () => BasketItem[]) {}

  items(): BasketItem[] {
    return this.present().filter((item) => !this.hidden.has(item.epc));
  }

  manualLines(): { gtin: string; quantity: number }[] {
    return [...this.manual].map(([gtin, quantity]) => ({ gtin, quantity }));
  }

  /** Takes a tag off the screen's basket. False when it is not in the basket. */
  removeTag(epc: string): boolean {
    if (!this.items().some((item) => item.epc === epc)) return false;
    this.hidden.add(epc);
    return true;
  }

  /** Adds `quantity` of a product by GTIN (removes the line at 0 or below). */
  addGtin(gtin: string, quantity: number): void {
    const next = (this.manual.get(gtin) ?? 0) + quantity;
    if (next > 0) this.manual.set(gtin, next);
    else this.manual.delete(gtin);
  }

  /** Takes one unit of a product added by GTIN off. False when there is none. */
  removeGtin(gtin: string): boolean {
    if (!this.manual.has(gtin)) return false;
    this.addGtin(gtin, -1);
    return true;
  }

  /** After a sale: its tags are hidden until they leave the counter; lines typed by hand are gone. */
  sold(epcs: string[]): void {
    for (const epc of epcs) this.hidden.add(epc);
    this.manual.clear();
  }

  /** Everything currently on the counter is hidden, and the typed lines dropped. */
  clear(): void {
    for (const item of this.present()) this.hidden.add(item.epc);
    this.manual.clear();
  }

  /** Tags that left the counter: a tag put back later is a new item in the basket. */
  left(epcs: string[]): void {
    for (const epc of epcs) this.hidden.delete(epc);
  }
}

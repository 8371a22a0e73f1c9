import type { BasketItem, MovementEngineEvent } from "./events.js";
import type { MovementFactory } from "./evidence.js";
import type { PresenceObserver, TagTrack } from "./presence.js";

/**
 * Counter nodes: the tags present on a counter zone are the basket. Each
 * change (a tag settles on the counter, or has left it) is announced with
 * the whole basket. Counters record no movements: the sale is recorded by
 * the credit check when the counter staff confirm it.
 */
export class CounterLogic implements PresenceObserver {
  private readonly baskets: Map<string, BasketItem>[];

  constructor(
    private readonly zones: readonly string[],
    private readonly factory: MovementFactory,
    private readonly emit: (event: MovementEngineEvent) => void,
  ) {
    this.baskets = zones.map(() => new Map());
  }

  /** The items on a zone's counter (all counter zones when none is named), sorted by EPC. */
  basket(zone?: string): BasketItem[] {
    const items: BasketItem[] = [];
    this.zones.forEach((name, index) => {
      if (zone === undefined || zone === name)
        for (const item of (this.baskets[index] as Map<string, BasketItem>).values())
          items.push({ ...item });
    });
    return items.sort((a, b) => (a.epc < b.epc ? -1 : a.epc > b.epc ? 1 : 0));
  }

  observed(tag: TagTrack, zone: number, _slot: unknown, at: number): void {
    const item: BasketItem = { epc: tag.epc, sku: this.factory.skuOf(tag) };
    if (tag.gtin !== undefined) item.gtin = tag.gtin;
    (this.baskets[zone] as Map<string, BasketItem>).set(tag.epc, item);
    this.changed(zone, [tag.epc], [], at);
  }

  lost(tag: TagTrack, zone: number, _slot: unknown, at: number): void {
    if ((this.baskets[zone] as Map<string, BasketItem>).delete(tag.epc))
      this.changed(zone, [], [tag.epc], at);
  }

  idle(): void {}

  private changed(zone: number, added: string[], removed: string[], at: number): void {
    const name = this.zones[zone] as string;
    this.emit({
      type: "basket",
      zone: name,
      items: this.basket(name),
      added,
      removed,
      at: new Date(at).toISOString(),
    });
  }
}

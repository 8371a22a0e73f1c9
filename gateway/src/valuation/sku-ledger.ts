import type { MovementKind } from "@comptoir/contracts";
import { type ExitKind, layerKey, type UnitMovement, unreceivedKey } from "./book.js";
import { type LayerKeys, NO_KEY } from "./keys.js";

const DAY_MS = 86_400_000;

/** What a movement did to the product's stock, per event. */
export const RECEIPT = 0;
export const MOVE = 1;
/** A unit on site went out: FIFO drew one unit. */
export const EXIT = 2;
/** A unit never seen arriving went out: nothing drawn, costed at the catalog cost. */
export const LOST = 3;

const NONE = -1;

function exitKindOf(kind: MovementKind): ExitKind {
  return kind === "sale" ? "sale" : kind === "adjust" ? "adjust" : "ship";
}

/** The first index whose value is above `value` in an ascending array. */
export function upperBound(values: readonly number[], value: number, end = values.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One product's movements and what they did, in time order: its layers,
 * its units on site (in the order they came), its exits, and per event the
 * keys to cost it by. Products never share a unit or a layer, so a late
 * movement replays one product only. Arrays rather than objects per unit:
 * a million movements fold in a fraction of a second.
 */
export class SkuLedger {
  // The movements, by time then arrival.
  readonly epc: string[] = [];
  readonly at: string[] = [];
  readonly atMs: number[] = [];
  readonly kind: MovementKind[] = [];
  readonly from: (string | null)[] = [];
  readonly to: (string | null)[] = [];
  readonly order: (string | null)[] = [];

  // Per event (same index as the movement).
  evType: number[] = [];
  /** Receipt: its layer; exit: the layer FIFO drew (LOST: the unreceived key). */
  evKey: number[] = [];
  /** Exit: the unit's own layer (LOST: the unreceived key). */
  evActual: number[] = [];
  /** The zone the unit left and the zone it went to (null: none). */
  evZoneFrom: (string | null)[] = [];
  evZoneTo: (string | null)[] = [];

  // Units received, in receipt order; those on site are `slotOf`'s.
  private slotOf = new Map<string, number>();
  slotEpc: string[] = [];
  slotAt: string[] = [];
  slotAtMs: number[] = [];
  slotKey: number[] = [];
  slotZone: (string | null)[] = [];
  /** The zone a unit was picked from (until it is put away again). */
  private slotPicker: (string | null)[] = [];
  slotGone: boolean[] = [];
  private queueHead = 0;

  // Layers in the order of their first unit.
  layerKey: number[] = [];
  layerAt: string[] = [];
  layerQty: number[] = [];
  layerRemaining: number[] = [];
  private layerOf = new Map<number, number>();
  private fifoHead = 0;

  // Exits, in time order.
  exitEv: number[] = [];
  exitAtMs: number[] = [];
  exitKind: ExitKind[] = [];
  exitZone: (string | null)[] = [];
  /** The unit's own slot (NONE: never seen arriving); the oldest unit still on site before it (NONE). */
  exitSlot: number[] = [];
  exitOlder: number[] = [];
  /**
   * The shipment under way: this product's exits in a row under one order
   * (a pallet through the portal), those whose older unit may still change.
   * A unit that leaves with the shipment is not left behind, so it makes
   * none of the shipment's exits a breach, whatever order the portal read
   * them in.
   */
  private shipmentOrder: string | null = null;
  private shipmentExits: number[] = [];
  byKind: Record<ExitKind, number> = { ship: 0, sale: 0, adjust: 0 };
  zones = new Map<string, number>();

  /** Average cost, computed when read after a change: pool after each event, cost of each exit. */
  private averageDirty = true;
  evPoolValue: number[] = [];
  evPoolQty: number[] = [];
  exitAverage: number[] = [];

  /** Every key of this product (a key names its product, so no other ledger touches them). */
  readonly keyIds = new Set<number>();

  constructor(
    readonly sku: string,
    private readonly keys: LayerKeys,
  ) {}

  get size(): number {
    return this.atMs.length;
  }

  /** Folds a movement in; one older than the last replays the product. */
  apply(movement: UnitMovement, atMs: number): void {
    const last = this.atMs.length - 1;
    if (last >= 0 && atMs < (this.atMs[last] as number)) {
      const index = upperBound(this.atMs, atMs);
      this.epc.splice(index, 0, movement.epc);
      this.at.splice(index, 0, movement.at);
      this.atMs.splice(index, 0, atMs);
      this.kind.splice(index, 0, movement.kind);
      this.from.splice(index, 0, movement.from);
      this.to.splice(index, 0, movement.to);
      this.order.splice(index, 0, movement.order);
      this.replay();
      return;
    }
    this.epc.push(movement.epc);
    this.at.push(movement.at);
    this.atMs.push(atMs);
    this.kind.push(movement.kind);
    this.from.push(movement.from);
    this.to.push(movement.to);
    this.order.push(movement.order);
    this.step(this.atMs.length - 1);
    if (!this.averageDirty) this.averageStep(this.atMs.length - 1);
  }

  /** A cost of one of this product's keys changed: the average is computed again when read. */
  touched(): void {
    this.averageDirty = true;
  }

  private replay(): void {
    for (const key of this.keyIds) {
      this.keys.received[key] = 0;
      this.keys.drawn[key] = 0;
      this.keys.drawnActual[key] = 0;
    }
    this.evType = [];
    this.evKey = [];
    this.evActual = [];
    this.evZoneFrom = [];
    this.evZoneTo = [];
    this.slotOf = new Map();
    this.slotEpc = [];
    this.slotAt = [];
    this.slotAtMs = [];
    this.slotKey = [];
    this.slotZone = [];
    this.slotPicker = [];
    this.slotGone = [];
    this.queueHead = 0;
    this.layerKey = [];
    this.layerAt = [];
    this.layerQty = [];
    this.layerRemaining = [];
    this.layerOf = new Map();
    this.fifoHead = 0;
    this.exitEv = [];
    this.exitAtMs = [];
    this.exitKind = [];
    this.exitZone = [];
    this.exitSlot = [];
    this.exitOlder = [];
    this.shipmentOrder = null;
    this.shipmentExits = [];
    this.byKind = { ship: 0, sale: 0, adjust: 0 };
    this.zones = new Map();
    this.averageDirty = true;
    for (let i = 0; i < this.atMs.length; i++) this.step(i);
  }

  private key(key: string): number {
    const id = this.keys.id(key);
    this.keyIds.add(id);
    return id;
  }

  private zone(zone: string | null, delta: number): void {
    if (zone === null) return;
    const count = (this.zones.get(zone) ?? 0) + delta;
    if (count === 0) this.zones.delete(zone);
    else this.zones.set(zone, count);
  }

  private step(i: number): void {
    const epc = this.epc[i] as string;
    const to = this.to[i] as string | null;
    const kind = this.kind[i] as MovementKind;
    const slot = this.slotOf.get(epc);
    if (to !== null) {
      if (slot === undefined) this.receive(i, epc, to, kind);
      else {
        const was = this.slotZone[slot] as string | null;
        // The picker zone is where a unit was picked from; putting it away again forgets it.
        if (kind === "pick") this.slotPicker[slot] = was;
        else if (kind === "putaway") this.slotPicker[slot] = null;
        this.slotZone[slot] = to;
        this.zone(was, -1);
        this.zone(to, 1);
        this.event(MOVE, NO_KEY, NO_KEY, was, to);
      }
      return;
    }
    const exitKind = exitKindOf(kind);
    const order = this.order[i] as string | null;
    if (order === null || order !== this.shipmentOrder) {
      this.shipmentOrder = order;
      this.shipmentExits = [];
    }
    this.byKind[exitKind]++;
    this.exitEv.push(i);
    this.exitAtMs.push(this.atMs[i] as number);
    this.exitKind.push(exitKind);
    if (slot === undefined) {
      const key = this.key(unreceivedKey(this.sku));
      this.keys.drawn[key] = (this.keys.drawn[key] as number) + 1;
      this.keys.drawnActual[key] = (this.keys.drawnActual[key] as number) + 1;
      this.exitZone.push(this.from[i] as string | null);
      this.exitSlot.push(NONE);
      this.exitOlder.push(NONE);
      this.event(LOST, key, key, null, null);
      return;
    }
    const fifo = this.draw();
    const actual = this.slotKey[slot] as number;
    this.keys.drawn[fifo] = (this.keys.drawn[fifo] as number) + 1;
    this.keys.drawnActual[actual] = (this.keys.drawnActual[actual] as number) + 1;
    const zone = this.slotZone[slot] as string | null;
    this.exitZone.push(this.slotPicker[slot] ?? zone);
    this.exitSlot.push(slot);
    this.exitOlder.push(this.olderThan(slot));
    this.slotGone[slot] = true;
    this.slotOf.delete(epc);
    if (order !== null) this.leavesWithShipment(this.exitOlder.length - 1);
    this.zone(zone, -1);
    this.event(EXIT, fifo, actual, zone, null);
  }

  /**
   * Exit `x` left with the shipment under way: each of the shipment's exits
   * looks again at what is still on site, so its older unit is one the whole
   * shipment left behind. Once no unit on site was received before an
   * exit's unit, none ever will be: that exit is final and is dropped.
   */
  private leavesWithShipment(x: number): void {
    const exits = this.shipmentExits;
    exits.push(x);
    let kept = 0;
    for (const y of exits) {
      const slot = this.exitSlot[y] as number;
      this.exitOlder[y] = this.olderThan(slot);
      const head = this.queueHead;
      if (
        head < this.slotEpc.length &&
        (this.slotAtMs[head] as number) < (this.slotAtMs[slot] as number)
      )
        exits[kept++] = y;
    }
    exits.length = kept;
  }

  /** The layer key of a receipt under an order ("" none): one lookup of a short string, not a key built per unit. */
  private readonly keyOfOrder = new Map<string, number>();

  private receive(i: number, epc: string, to: string, kind: MovementKind): void {
    const order = kind === "receive" ? (this.order[i] ?? "") : "";
    let key = this.keyOfOrder.get(order);
    if (key === undefined) {
      key = this.key(layerKey(this.sku, order === "" ? null : order));
      this.keyOfOrder.set(order, key);
    }
    let layer = this.layerOf.get(key);
    if (layer === undefined) {
      layer = this.layerKey.length;
      this.layerOf.set(key, layer);
      this.layerKey.push(key);
      this.layerAt.push(this.at[i] as string);
      this.layerQty.push(0);
      this.layerRemaining.push(0);
    }
    this.layerQty[layer] = (this.layerQty[layer] as number) + 1;
    this.layerRemaining[layer] = (this.layerRemaining[layer] as number) + 1;
    // More units under an older order make that layer FIFO's next again.
    if (layer < this.fifoHead) this.fifoHead = layer;
    this.keys.received[key] = (this.keys.received[key] as number) + 1;
    this.slotOf.set(epc, this.slotEpc.length);
    this.slotEpc.push(epc);
    this.slotAt.push(this.at[i] as string);
    this.slotAtMs.push(this.atMs[i] as number);
    this.slotKey.push(key);
    this.slotZone.push(to);
    this.slotPicker.push(null);
    this.slotGone.push(false);
    this.zone(to, 1);
    this.event(RECEIPT, key, NO_KEY, null, to);
  }

  private event(
    type: number,
    key: number,
    actual: number,
    from: string | null,
    to: string | null,
  ): void {
    this.evType.push(type);
    this.evKey.push(key);
    this.evActual.push(actual);
    this.evZoneFrom.push(from);
    this.evZoneTo.push(to);
  }

  /** The oldest layer with a unit left (there is one: the unit going out is on site). */
  private draw(): number {
    while ((this.layerRemaining[this.fifoHead] as number) === 0) this.fifoHead++;
    this.layerRemaining[this.fifoHead] = (this.layerRemaining[this.fifoHead] as number) - 1;
    return this.layerKey[this.fifoHead] as number;
  }

  /** The FIFO head's key, or NO_KEY when nothing is on site. */
  head(): number {
    while (
      this.fifoHead < this.layerKey.length &&
      (this.layerRemaining[this.fifoHead] as number) === 0
    ) {
      this.fifoHead++;
    }
    return this.fifoHead < this.layerKey.length ? (this.layerKey[this.fifoHead] as number) : NO_KEY;
  }

  /**
   * The oldest unit on site if it came with an earlier delivery than
   * `slot`'s: received before it under another order (layer), or on an
   * earlier UTC day. The units of one delivery pass the portal seconds apart
   * and are the same age on the shelf: taking them in any order is no breach.
   */
  private olderThan(slot: number): number {
    while (this.slotGone[this.queueHead]) this.queueHead++;
    const oldest = this.queueHead;
    if (oldest === slot || oldest >= this.slotEpc.length) return NONE;
    const at = this.slotAtMs;
    if ((at[oldest] as number) >= (at[slot] as number)) return NONE;
    const otherOrder = this.slotKey[oldest] !== this.slotKey[slot];
    const earlierDay =
      Math.floor((at[oldest] as number) / DAY_MS) < Math.floor((at[slot] as number) / DAY_MS);
    return otherOrder || earlierDay ? oldest : NONE;
  }

  /** Units on site now, oldest first. */
  onSiteSlots(): number[] {
    const slots: number[] = [];
    for (let s = this.queueHead; s < this.slotEpc.length; s++) if (!this.slotGone[s]) slots.push(s);
    return slots;
  }

  /** Computes the average cost pool again if a cost or a late movement changed it. */
  average(): void {
    if (!this.averageDirty) return;
    this.evPoolValue = new Array(this.evType.length);
    this.evPoolQty = new Array(this.evType.length);
    this.exitAverage = [];
    this.averageDirty = false;
    for (let i = 0; i < this.evType.length; i++) this.averageStep(i);
  }

  /**
   * Weighted average (CMUP): a receipt adds its cost to the pool, a unit
   * that goes out takes the pool's average, rounded, and the last unit the
   * remainder, so that pool + cost of goods = receipts to the minor unit.
   */
  private averageStep(i: number): void {
    const costs = this.keys.unitCost;
    let value = i > 0 ? (this.evPoolValue[i - 1] as number) : 0;
    let qty = i > 0 ? (this.evPoolQty[i - 1] as number) : 0;
    const type = this.evType[i] as number;
    if (type === RECEIPT) {
      value += costs[this.evKey[i] as number] as number;
      qty++;
    } else if (type === EXIT) {
      const cost = qty === 1 ? value : Math.round(value / qty);
      value -= cost;
      qty--;
      this.exitAverage.push(cost);
    } else if (type === LOST) {
      this.exitAverage.push(costs[this.evKey[i] as number] as number);
    }
    this.evPoolValue[i] = value;
    this.evPoolQty[i] = qty;
  }
}

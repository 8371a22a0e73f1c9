import type { LedgerEntry } from "../ledger/schema.js";
import {
  COMMISSION_TYPE,
  CommissionDataSchema,
  MOVEMENT_TYPE,
  MovementDataSchema,
} from "./events.js";

/** One line of stock: how many items of a SKU are in a zone. `sku` null: uncommissioned tags. */
export interface StockRow {
  sku: string | null;
  zone: string;
  count: number;
}

export interface TagPlace {
  sku: string | null;
  /** null: the item is not on the site (shipped, sold, or never received). */
  zone: string | null;
}

/** What a snapshot file holds: every tag's place, and the seq it covers. */
export interface StockSnapshot {
  seq: number;
  tags: [epc: string, place: TagPlace][];
}

const UNKNOWN = "\u0000unknown";

/**
 * Nodes sync independently, so news can arrive late: a shelf's "picked"
 * may reach the gateway after the counter's sale of the same item. A move
 * within the site (`from` set) observed no later than the movement that
 * took the item off the site (`exitAt`) is history, not a new place. A
 * receive (`from` null) always counts: goods do come back.
 */
export function leftBefore(
  movement: { from: string | null; at: string },
  exitAt: string | undefined,
): boolean {
  return exitAt !== undefined && movement.from !== null && movement.at <= exitAt;
}

/**
 * Stock as a fold over a chain's entries: each tag has one place, and counts
 * per SKU per zone follow. The node and the gateway use this same fold, so
 * their figures cannot disagree about what an entry means.
 */
export class StockProjection {
  private readonly tags = new Map<string, TagPlace>();
  /** When each item that is off the site left it (see `leftBefore`). */
  private readonly exits = new Map<string, string>();
  private readonly counts = new Map<string, Map<string, number>>();
  /** The seq of the last entry applied. */
  seq = 0;

  static fromSnapshot(snapshot: StockSnapshot): StockProjection {
    const projection = new StockProjection();
    for (const [epc, place] of snapshot.tags) projection.place(epc, place);
    projection.seq = snapshot.seq;
    return projection;
  }

  /** Applies one entry; entries that do not move goods only advance `seq`. */
  apply(entry: LedgerEntry): void {
    if (entry.type === MOVEMENT_TYPE) {
      const movement = MovementDataSchema.safeParse(entry.data);
      if (movement.success && !leftBefore(movement.data, this.exits.get(movement.data.epc))) {
        const { epc, sku, to, at } = movement.data;
        this.place(epc, { sku: sku ?? this.tags.get(epc)?.sku ?? null, zone: to });
        if (to === null) this.exits.set(epc, at);
        else this.exits.delete(epc);
      }
    } else if (entry.type === COMMISSION_TYPE) {
      const commission = CommissionDataSchema.safeParse(entry.data);
      if (commission.success) {
        const { epc, sku } = commission.data;
        this.place(epc, { sku, zone: this.tags.get(epc)?.zone ?? null });
      }
    }
    this.seq = entry.seq;
  }

  tag(epc: string): TagPlace | undefined {
    const place = this.tags.get(epc);
    return place ? { ...place } : undefined;
  }

  /** Stock rows, optionally for one zone or one SKU, sorted by SKU then zone. */
  rows(filter: { zone?: string; sku?: string } = {}): StockRow[] {
    const rows: StockRow[] = [];
    for (const [skuKey, zones] of this.counts) {
      const sku = skuKey === UNKNOWN ? null : skuKey;
      if (filter.sku !== undefined && sku !== filter.sku) continue;
      for (const [zone, count] of zones) {
        if (filter.zone !== undefined && zone !== filter.zone) continue;
        rows.push({ sku, zone, count });
      }
    }
    return rows.sort(
      (a, b) => (a.sku ?? "").localeCompare(b.sku ?? "") || a.zone.localeCompare(b.zone),
    );
  }

  /** Tags currently in a zone. */
  tagsIn(zone: string): string[] {
    return [...this.tags].filter(([, place]) => place.zone === zone).map(([epc]) => epc);
  }

  snapshot(): StockSnapshot {
    return { seq: this.seq, tags: [...this.tags].map(([epc, place]) => [epc, { ...place }]) };
  }

  private place(epc: string, next: TagPlace): void {
    const previous = this.tags.get(epc);
    if (previous?.zone) this.count(previous.sku, previous.zone, -1);
    if (next.zone) this.count(next.sku, next.zone, +1);
    if (next.zone === null && next.sku === null) this.tags.delete(epc);
    else this.tags.set(epc, next);
  }

  private count(sku: string | null, zone: string, delta: number): void {
    const key = sku ?? UNKNOWN;
    let zones = this.counts.get(key);
    if (!zones) {
      zones = new Map();
      this.counts.set(key, zones);
    }
    const count = (zones.get(zone) ?? 0) + delta;
    if (count === 0) zones.delete(zone);
    else zones.set(zone, count);
    if (zones.size === 0) this.counts.delete(key);
  }
}

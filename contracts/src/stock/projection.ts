import type { LedgerEntry } from "../ledger/schema.js";
import {
  COMMISSION_TYPE,
  CommissionDataSchema,
  explicitSku,
  MOVEMENT_TYPE,
  MovementDataSchema,
} from "./events.js";

/**
 * One line of stock: how many items of a product are in a zone. `sku` null
 * with a `gtin`: items of a GTIN no product has (an unknown product); with
 * neither: tags nobody commissioned (unknown tags).
 */
export interface StockRow {
  sku: string | null;
  gtin?: string;
  zone: string;
  count: number;
}

export interface TagPlace {
  /** The SKU the tag was explicitly commissioned to, or null. */
  sku: string | null;
  /** The GTIN of an SGTIN tag. */
  gtin?: string;
  /** null: the item is not on the site (shipped, sold, or never received). */
  zone: string | null;
}

/** A product's SKU from one of its GTINs; undefined when no product has it. */
export type SkuOfGtin = (gtin: string) => string | undefined;

/** The SKU of an item: commissioned explicitly, else its GTIN's product, else null. */
export function productOf(
  place: { sku: string | null; gtin?: string | undefined },
  skuOfGtin: SkuOfGtin,
) {
  if (place.sku !== null) return place.sku;
  return place.gtin === undefined ? null : (skuOfGtin(place.gtin) ?? null);
}

/**
 * Stock rows under their products: rows kept by GTIN join the product that
 * has the GTIN now (so a GTIN added to the catalog later puts past items
 * under their product), and keep their GTIN only while no product has it.
 * Sorted by SKU (unknown first), GTIN, then zone.
 */
export function resolveStockRows(
  rows: Iterable<StockRow>,
  skuOfGtin: SkuOfGtin,
  filter: { zone?: string; sku?: string } = {},
): StockRow[] {
  const merged = new Map<string, StockRow>();
  for (const row of rows) {
    const sku = productOf(row, skuOfGtin);
    if (filter.sku !== undefined && sku !== filter.sku) continue;
    if (filter.zone !== undefined && row.zone !== filter.zone) continue;
    const gtin = sku === null ? row.gtin : undefined;
    const key = `${sku ?? ""}\u0000${gtin ?? ""}\u0000${row.zone}`;
    const found = merged.get(key);
    if (found) found.count += row.count;
    else merged.set(key, { sku, ...(gtin ? { gtin } : {}), zone: row.zone, count: row.count });
  }
  return [...merged.values()]
    .filter((row) => row.count !== 0)
    .sort(
      (a, b) =>
        (a.sku ?? "").localeCompare(b.sku ?? "") ||
        (a.gtin ?? "").localeCompare(b.gtin ?? "") ||
        a.zone.localeCompare(b.zone),
    );
}

/** What a snapshot file holds: every tag's place, and the seq it covers. */
export interface StockSnapshot {
  seq: number;
  tags: [epc: string, place: TagPlace][];
}

/** Count keys: the commissioned SKU, else `#` and the GTIN, else this. */
const UNKNOWN = "\u0000unknown";
const GTIN_KEY = "#";

function itemKey(place: { sku: string | null; gtin?: string | undefined }): string {
  if (place.sku !== null) return place.sku;
  return place.gtin === undefined ? UNKNOWN : `${GTIN_KEY}${place.gtin}`;
}

/**
 * Nodes sync independently, so news can arrive late: a shelf's "picked"
 * may reach the gateway after the counter's sale of the same item, and a
 * dock portal that was offline sends its receipts after the shelf's
 * put-aways of the same items. `last` is the movement that gave the item
 * its current place (zone null: it took the item off the site). Late news
 * is history, not a new place:
 * - a move within the site (`from` set) observed no later than the
 *   movement that took the item off the site;
 * - a receive (`from` null) observed before the movement that placed the
 *   item. A later receive counts: goods do come back.
 * Only receives are judged against an item on the site: they begin a
 * visit, so one older than a move of that visit cannot be news, whereas a
 * move recorded by a node whose clock runs late still is.
 */
export function isLateNews(
  movement: { from: string | null; at: string },
  last: { at: string; zone: string | null } | undefined,
): boolean {
  if (last === undefined) return false;
  if (movement.from === null) return movement.at < last.at;
  return last.zone === null && movement.at <= last.at;
}

/**
 * Stock as a fold over a chain's entries: each tag has one place, and counts
 * per item (commissioned SKU, else GTIN) per zone follow. The node and the
 * gateway use this same fold, so their figures cannot disagree about what
 * an entry means; the product of a GTIN is decided when rows are read
 * (`resolveStockRows`), with the catalog of that moment.
 */
export class StockProjection {
  private readonly tags = new Map<string, TagPlace>();
  /** When the movement that gave each item its current place was observed (see `isLateNews`). */
  private readonly lastAt = new Map<string, string>();
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
      if (movement.success && !this.isLateNews(movement.data)) {
        const { epc, to, at } = movement.data;
        const before = this.tags.get(epc);
        const gtin = movement.data.gtin ?? before?.gtin;
        this.place(epc, {
          sku: explicitSku(movement.data) ?? before?.sku ?? null,
          ...(gtin ? { gtin } : {}),
          zone: to,
        });
        this.lastAt.set(epc, at);
      }
    } else if (entry.type === COMMISSION_TYPE) {
      const commission = CommissionDataSchema.safeParse(entry.data);
      if (commission.success) {
        const { epc, sku } = commission.data;
        const before = this.tags.get(epc);
        const gtin = commission.data.gtin ?? before?.gtin;
        this.place(epc, { sku, ...(gtin ? { gtin } : {}), zone: before?.zone ?? null });
      }
    }
    this.seq = entry.seq;
  }

  private isLateNews(movement: { epc: string; from: string | null; at: string }): boolean {
    const at = this.lastAt.get(movement.epc);
    const last =
      at === undefined ? undefined : { at, zone: this.tags.get(movement.epc)?.zone ?? null };
    return isLateNews(movement, last);
  }

  tag(epc: string): TagPlace | undefined {
    const place = this.tags.get(epc);
    return place ? { ...place } : undefined;
  }

  /**
   * Stock rows per item and zone, optionally for one zone or one SKU,
   * under their products as `skuOfGtin` (the catalog) says; without it,
   * SGTIN items not commissioned stay under their GTIN.
   */
  rows(
    filter: { zone?: string; sku?: string } = {},
    skuOfGtin: SkuOfGtin = () => undefined,
  ): StockRow[] {
    const rows: StockRow[] = [];
    for (const [key, zones] of this.counts) {
      const sku = key === UNKNOWN || key.startsWith(GTIN_KEY) ? null : key;
      const gtin = key.startsWith(GTIN_KEY) ? key.slice(GTIN_KEY.length) : undefined;
      for (const [zone, count] of zones) rows.push({ sku, ...(gtin ? { gtin } : {}), zone, count });
    }
    return resolveStockRows(rows, skuOfGtin, filter);
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
    if (previous?.zone) this.count(itemKey(previous), previous.zone, -1);
    if (next.zone) this.count(itemKey(next), next.zone, +1);
    if (next.zone === null && next.sku === null && next.gtin === undefined) this.tags.delete(epc);
    else this.tags.set(epc, next);
  }

  private count(key: string, zone: string, delta: number): void {
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

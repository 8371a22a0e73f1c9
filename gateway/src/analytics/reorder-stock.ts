import type Database from "better-sqlite3";
import { ensureOrderTables } from "../orders/tables.js";
import { productSql } from "../store/identity.js";
import { prepared } from "../store/prepared.js";
import type { Store } from "../store/store.js";
import { ReorderDemand } from "./reorder-demand.js";

/** Counts per product (`site`) and per product and zone (`zones`, keyed by `zoneKey`). */
export interface Counts {
  site: Map<string, number>;
  zones: Map<string, number>;
}

export function zoneKey(sku: string, zone: string): string {
  return `${sku}\u0000${zone}`;
}

/**
 * Units of sales orders approved or released (not held, not cancelled) not
 * yet seen leaving: per order and product, what its lines ask for minus
 * the units its shipments carried, never below zero (a line shipped over
 * reserves nothing more, and frees nothing of another order). An invoiced
 * order whose goods are still here still reserves them: the invoice does
 * not move goods. Products found as the catalog has them now.
 */
const RESERVED_SQL = `
WITH open AS (
  SELECT number FROM orders
   WHERE cancelled = 0 AND credit_state IN ('approved', 'released') AND state != 'shipped'
),
ordered AS (
  SELECT l.number, ${productSql("l")} AS sku, SUM(l.quantity) AS quantity
    FROM order_lines l JOIN open o ON o.number = l.number GROUP BY 1, 2
),
gone AS (
  SELECT s.order_ref AS number, ${productSql("s")} AS sku, COUNT(*) AS units
    FROM shipments s JOIN open o ON o.number = s.order_ref GROUP BY 1, 2
)
SELECT o.sku AS sku, SUM(MAX(0, o.quantity - COALESCE(g.units, 0))) AS units
  FROM ordered o LEFT JOIN gone g ON g.number = o.number AND g.sku = o.sku
 WHERE o.sku IS NOT NULL
 GROUP BY o.sku`;

/**
 * What a reorder rule reads from the store: the RFID count on site, the
 * units reserved by open sales orders, and the demand over a window, each
 * for every product in one query.
 */
export class ReorderStock {
  private readonly db: Database.Database;
  private readonly demandDays: ReorderDemand;

  constructor(private readonly store: Store) {
    this.db = store.db;
    ensureOrderTables(this.db);
    this.demandDays = new ReorderDemand(this.db);
  }

  /** Units on site now (tags in a zone), per product and per product and zone; GTINs counted under their product. */
  onSite(): Counts {
    const counts: Counts = { site: new Map(), zones: new Map() };
    for (const row of this.store.stock()) {
      if (row.sku === null) continue;
      add(counts.site, row.sku, row.count);
      add(counts.zones, zoneKey(row.sku, row.zone), row.count);
    }
    return counts;
  }

  /** Units reserved by open sales orders, per product, for the whole site. */
  reserved(): Map<string, number> {
    const reserved = new Map<string, number>();
    for (const row of prepared<[], { sku: string; units: number }>(this.db, RESERVED_SQL).all()) {
      reserved.set(row.sku, row.units);
    }
    return reserved;
  }

  /**
   * Units gone out on the UTC days `fromDay`..`toDay` (YYYY-MM-DD,
   * inclusive): shipped or sold per product (the site's demand); out of each
   * zone per product and zone (a zone's demand). See reorder-demand.ts.
   */
  demand(fromDay: string, toDay: string): Counts {
    const counts: Counts = { site: new Map(), zones: new Map() };
    for (const row of this.demandDays.read(fromDay, toDay)) {
      add(counts.site, row.sku, row.gone);
      if (row.zone !== "") add(counts.zones, zoneKey(row.sku, row.zone), row.leftZone);
    }
    return counts;
  }
}

function add(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

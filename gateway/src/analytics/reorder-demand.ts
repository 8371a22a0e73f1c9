import type Database from "better-sqlite3";
import { productSql } from "../store/identity.js";
import { prepared } from "../store/prepared.js";

/**
 * Units gone out per UTC day (of the movement's `at`), as the tags said them
 * (commissioned SKU, else GTIN: '' for none) and the zone they left ('' for
 * none). `gone`: shipped or sold — they left the site. `left_zone`: any
 * movement but an adjustment that took a unit out of its zone (a pick, a
 * move to the dock, a sale) — what empties a pick face.
 *
 * Kept so that the demand over a window reads a few rows per product and
 * day instead of every movement of the window: a 28-day window over 400 000
 * movements took about 2 s straight from the movements table.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS reorder_demand (
  day TEXT NOT NULL,
  sku TEXT NOT NULL,
  gtin TEXT NOT NULL,
  zone TEXT NOT NULL,
  gone INTEGER NOT NULL,
  left_zone INTEGER NOT NULL,
  PRIMARY KEY (day, sku, gtin, zone)
) WITHOUT ROWID;
-- Movements received before this instant are in reorder_demand; later ones are read live.
CREATE TABLE IF NOT EXISTS reorder_demand_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  received_before TEXT NOT NULL
) STRICT;
`;

/** The movements that count, with the figures they add. */
const OUT = `(m.kind IN ('ship', 'sale') OR (m.kind != 'adjust' AND m.from_zone IS NOT NULL AND (m.to_zone IS NULL OR m.to_zone != m.from_zone)))`;
const GONE = `(m.kind IN ('ship', 'sale'))`;
const LEFT_ZONE = `(m.kind != 'adjust' AND m.from_zone IS NOT NULL AND (m.to_zone IS NULL OR m.to_zone != m.from_zone))`;

const FOLD_SQL = `
INSERT INTO reorder_demand (day, sku, gtin, zone, gone, left_zone)
SELECT substr(m.at, 1, 10), COALESCE(m.sku, ''), COALESCE(m.gtin, ''), COALESCE(m.from_zone, ''),
       SUM(${GONE}), SUM(${LEFT_ZONE})
  FROM movements m
 WHERE m.received_at >= @from AND m.received_at < @before AND ${OUT}
 GROUP BY 1, 2, 3, 4
ON CONFLICT (day, sku, gtin, zone) DO UPDATE
   SET gone = gone + excluded.gone, left_zone = left_zone + excluded.left_zone`;

/** Products found when read, as the catalog has them now (a GTIN added later counts its past units). */
const READ_SQL = `
SELECT product AS sku, zone, SUM(gone) AS gone, SUM(left_zone) AS leftZone FROM (
  SELECT COALESCE(NULLIF(d.sku, ''), (SELECT pg.sku FROM product_gtins pg WHERE pg.gtin = d.gtin)) AS product,
         d.zone, d.gone, d.left_zone
    FROM reorder_demand d WHERE d.day >= @fromDay AND d.day <= @toDay
  UNION ALL
  SELECT ${productSql("m")}, COALESCE(m.from_zone, ''), ${GONE}, ${LEFT_ZONE}
    FROM movements m
   WHERE m.received_at >= @before AND ${OUT} AND substr(m.at, 1, 10) BETWEEN @fromDay AND @toDay
) WHERE product IS NOT NULL
GROUP BY 1, 2`;

export interface DemandRow {
  sku: string;
  /** '' when the unit left from no known zone. */
  zone: string;
  gone: number;
  leftZone: number;
}

/**
 * Demand per product and zone over whole UTC days, folded in as movements
 * are received. Each read first folds what was received since the last one,
 * up to the newest receive instant (exclusive: more of that instant may
 * still come), and reads the rest live. Movements are appended with the
 * gateway's clock, so one received before the mark is never new; a clock
 * stepped back by hand would leave the movements of the step uncounted.
 */
export class ReorderDemand {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  /** Per product and the zone left, units gone out on the UTC days `fromDay`..`toDay` (YYYY-MM-DD, inclusive). */
  read(fromDay: string, toDay: string): DemandRow[] {
    const before = this.fold();
    return prepared<
      { fromDay: string; toDay: string; before: string },
      { sku: string; zone: string; gone: number; leftZone: number }
    >(this.db, READ_SQL).all({ fromDay, toDay, before });
  }

  /** Folds the movements received since the mark, up to the newest instant; returns the new mark. */
  private fold(): string {
    const mark =
      prepared<[], { received_before: string }>(
        this.db,
        "SELECT received_before FROM reorder_demand_mark WHERE id = 1",
      ).get()?.received_before ?? "";
    const newest = prepared<[], { at: string | null }>(
      this.db,
      "SELECT MAX(received_at) AS at FROM movements",
    ).get()?.at;
    if (!newest || newest <= mark) return mark;
    this.db.transaction(() => {
      prepared<{ from: string; before: string }>(this.db, FOLD_SQL).run({
        from: mark,
        before: newest,
      });
      prepared<[string]>(
        this.db,
        `INSERT INTO reorder_demand_mark (id, received_before) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET received_before = excluded.received_before`,
      ).run(newest);
    })();
    return newest;
  }
}

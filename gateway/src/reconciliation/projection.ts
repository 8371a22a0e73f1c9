import type { Database } from "better-sqlite3";
import { effectiveAtSql } from "../store/clock-flags.js";
import { prepared } from "./statements.js";

/**
 * Goods crossing the portals, kept in columns for reconciliation: the
 * order, customer, reader and antennas live inside each stored entry's
 * JSON, and reading them there costs a JSON parse per item on every run.
 * This table copies them once, caught up from the store's movements at the
 * start of each run (node chains only grow, so "after the last seq copied"
 * per enrolled node's chain is exactly what is new), and indexed by order and customer so
 * that one order is reconciled without reading the others. `at` is the
 * movement's own time, or the gateway's receive time when its node's clock
 * was flagged as it arrived (store/clock-flags.ts, gateway README "Clocks").
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS reconciliation_goods (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  epc TEXT NOT NULL,
  sku TEXT,
  at TEXT NOT NULL,
  order_ref TEXT,
  customer TEXT,
  gtin TEXT,
  reader TEXT,
  antennas TEXT,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reconciliation_goods_kind ON reconciliation_goods (kind, at);
CREATE INDEX IF NOT EXISTS reconciliation_goods_order ON reconciliation_goods (order_ref);
CREATE INDEX IF NOT EXISTS reconciliation_goods_customer ON reconciliation_goods (customer, at);
-- A full run counts per order, customer and item along this index without sorting a million rows.
CREATE INDEX IF NOT EXISTS reconciliation_goods_group ON reconciliation_goods (kind, order_ref, customer, sku, gtin, at);
-- Items read before their tag was commissioned: few, found without a scan.
CREATE INDEX IF NOT EXISTS reconciliation_goods_unnamed ON reconciliation_goods (kind) WHERE sku IS NULL;
`;

/** Connections whose schema is known to be in place: reconciling one order should not re-run DDL. */
const ready = new WeakSet<Database>();

export class GoodsProjection {
  constructor(private readonly db: Database) {
    if (ready.has(db)) return;
    db.exec(SCHEMA);
    ready.add(db);
  }

  /**
   * Copies the ship, sale and receive movements stored since the last call;
   * returns how many. A counter sale is goods handed over to a customer, so it
   * is matched against invoices like a shipment (its order is the sale id,
   * which the invoice of an on-account sale names as its order reference).
   */
  catchUp(): number {
    const chains = prepared<[], { chain: string; last: number }>(
      this.db,
      `SELECT m.chain, COALESCE((SELECT MAX(g.seq) FROM reconciliation_goods g WHERE g.chain = m.chain), 0) AS last
       FROM (SELECT id AS chain FROM nodes) m`,
    );
    const copy = prepared<[string, number], never>(
      this.db,
      `INSERT INTO reconciliation_goods (chain, seq, kind, epc, sku, at, order_ref, customer, gtin, reader, antennas)
       SELECT m.chain, m.seq, CASE m.kind WHEN 'sale' THEN 'ship' ELSE m.kind END, m.epc, m.sku, ${effectiveAtSql("m")}, json_extract(e.data, '$.order'), json_extract(e.data, '$.customer'),
              m.gtin, json_extract(e.data, '$.reader'), json_extract(e.data, '$.antennas')
       FROM movements m JOIN entries e ON e.chain = m.chain AND e.seq = m.seq
       WHERE m.chain = ? AND m.seq > ? AND m.kind IN ('ship', 'sale', 'receive')`,
    );
    return this.db.transaction(() => {
      let copied = 0;
      for (const { chain, last } of chains.all()) copied += copy.run(chain, last).changes;
      return copied;
    })();
  }
}

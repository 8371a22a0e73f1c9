/**
 * The gateway's SQLite schema. Every node's chain is stored entry by entry
 * (exactly once per chain and seq); projections are tables updated in the
 * same transaction as the entries they come from.
 */
import { CREDIT_DECISION_TYPE } from "@comptoir/contracts";

export const SCHEMA_VERSION = 2;

/**
 * The entries that record a credit decision (credit/decisions.ts lists them).
 * A query uses the partial indexes below only when it repeats this term.
 * Equalities joined by OR, not `type IN (…)`: in a partial index's WHERE, an
 * IN list makes SQLite build a temporary table of its values on every
 * insert into entries, which was about 12 % of ingest's CPU.
 */
export const DECISION_TYPES_SQL = `(${[CREDIT_DECISION_TYPE, "credit.checked", "order.placed", "order.released"].map((type) => `type = '${type}'`).join(" OR ")})`;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  head_seq INTEGER NOT NULL DEFAULT 0,
  head_hash TEXT NOT NULL DEFAULT '${"0".repeat(64)}',
  last_seen TEXT,
  state TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'broken')),
  broken_seq INTEGER,
  broken_reason TEXT,
  broken_detail TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS entries (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
-- Credit decisions newest first, and a customer's: GET /credit/decisions. Partial, so
-- that the other entries (movements, most of them) cost nothing more to store.
-- (Until 0.14 these were entries_decisions and entries_decisions_customer, with an IN list.)
DROP INDEX IF EXISTS entries_decisions;
DROP INDEX IF EXISTS entries_decisions_customer;
CREATE INDEX IF NOT EXISTS entries_decision_ts ON entries (ts) WHERE ${DECISION_TYPES_SQL};
CREATE INDEX IF NOT EXISTS entries_decision_customer
  ON entries (json_extract(data, '$.customer'), ts) WHERE ${DECISION_TYPES_SQL};

-- sku: the SKU the tag was commissioned to (by the movement or before it), never a GTIN;
-- gtin: the SGTIN's GTIN. The product is found from both when read (identity.ts).
CREATE TABLE IF NOT EXISTS movements (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  epc TEXT NOT NULL,
  sku TEXT,
  gtin TEXT,
  kind TEXT NOT NULL,
  from_zone TEXT,
  to_zone TEXT,
  at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS movements_epc ON movements (epc, received_at);
CREATE INDEX IF NOT EXISTS movements_received ON movements (received_at);
-- Until 0.14 also movements_sku and movements_gtin: no query could use them (a product's
-- movements are asked for with "(@sku IS NULL OR …)", which SQLite serves by received_at),
-- and keeping them was about a fifth of ingest's CPU, each batch touching a page per SKU.
DROP INDEX IF EXISTS movements_sku;
DROP INDEX IF EXISTS movements_gtin;

CREATE TABLE IF NOT EXISTS tags (
  epc TEXT PRIMARY KEY,
  sku TEXT,
  gtin TEXT,
  zone TEXT,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL
) WITHOUT ROWID;

-- Items per zone, by what the tags say: the commissioned SKU, else the GTIN
-- (sku ''), else neither (an unknown tag). Read under products: Store.stock.
CREATE TABLE IF NOT EXISTS stock (
  sku TEXT NOT NULL,
  gtin TEXT NOT NULL,
  zone TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (sku, gtin, zone)
) WITHOUT ROWID;
`;

/**
 * From schema 1 (0.5): movements, tags and shipments gain their GTIN, a
 * GTIN that 0.5 nodes wrote as the SKU of an unregistered tag stops being
 * one, and stock is counted again from the tags. Run before SCHEMA, which
 * then creates the new stock table and the indexes on the new columns.
 */
export const MIGRATE_1_TO_2 = `
ALTER TABLE movements ADD COLUMN gtin TEXT;
UPDATE movements SET gtin = (SELECT json_extract(e.data, '$.gtin') FROM entries e
  WHERE e.chain = movements.chain AND e.seq = movements.seq);
ALTER TABLE tags ADD COLUMN gtin TEXT;
UPDATE tags SET gtin = (SELECT m.gtin FROM movements m WHERE m.epc = tags.epc AND m.gtin IS NOT NULL LIMIT 1);
UPDATE movements SET gtin = (SELECT t.gtin FROM tags t WHERE t.epc = movements.epc) WHERE gtin IS NULL;
UPDATE movements SET sku = NULL WHERE sku = gtin;
UPDATE tags SET sku = NULL WHERE sku = gtin;
ALTER TABLE shipments ADD COLUMN gtin TEXT;
UPDATE shipments SET gtin = (SELECT m.gtin FROM movements m WHERE m.chain = shipments.chain AND m.seq = shipments.seq);
UPDATE shipments SET sku = NULL WHERE sku = gtin;
DROP TABLE stock;
DROP TABLE IF EXISTS reconciliation_goods;
`;

/** Stock counted from the tags' places: after a migration. */
export const RECOUNT_STOCK = `
DELETE FROM stock;
INSERT INTO stock (sku, gtin, zone, count)
  SELECT COALESCE(sku, ''), CASE WHEN sku IS NULL THEN COALESCE(gtin, '') ELSE '' END, zone, COUNT(*)
  FROM tags WHERE zone IS NOT NULL GROUP BY 1, 2, 3;
`;

/**
 * Counter sales (entry type "sale") folded from node chains, exactly once per
 * chain and seq. \`synced\` only grows: the credit side reads the sales it has
 * not seen yet (exposure, "limit exceeded while offline" alerts) by it.
 */
export const SALES_SCHEMA = `
CREATE TABLE IF NOT EXISTS sales (
  synced INTEGER PRIMARY KEY AUTOINCREMENT,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  payment TEXT NOT NULL,
  customer TEXT,
  clerk TEXT NOT NULL,
  currency TEXT NOT NULL,
  total INTEGER NOT NULL,
  override TEXT,
  at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX IF NOT EXISTS sales_customer ON sales (customer, payment);
CREATE INDEX IF NOT EXISTS sales_id ON sales (id);

-- Items shipped to a known customer (movements of kind "ship" with the
-- dock's customer): the credit side values them as shipped but not invoiced.
CREATE TABLE IF NOT EXISTS shipments (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  epc TEXT NOT NULL,
  sku TEXT,
  gtin TEXT,
  order_ref TEXT,
  customer TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shipments_customer ON shipments (customer, order_ref);
`;

/** "None" in the stock table's key columns (NULL cannot be a key). */
export const NO_KEY = "";

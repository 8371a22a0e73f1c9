/**
 * The gateway's SQLite schema. Every node's chain is stored entry by entry
 * (exactly once per chain and seq); projections are tables updated in the
 * same transaction as the entries they come from.
 */
export const SCHEMA_VERSION = 1;

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

CREATE TABLE IF NOT EXISTS movements (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  epc TEXT NOT NULL,
  sku TEXT,
  kind TEXT NOT NULL,
  from_zone TEXT,
  to_zone TEXT,
  at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS movements_epc ON movements (epc, received_at);
CREATE INDEX IF NOT EXISTS movements_received ON movements (received_at);
CREATE INDEX IF NOT EXISTS movements_sku ON movements (sku, received_at);

CREATE TABLE IF NOT EXISTS tags (
  epc TEXT PRIMARY KEY,
  sku TEXT,
  zone TEXT,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS stock (
  sku TEXT NOT NULL,
  zone TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (sku, zone)
) WITHOUT ROWID;
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
  order_ref TEXT,
  customer TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shipments_customer ON shipments (customer, order_ref);
`;

/** Uncommissioned items are counted under this SKU key in the stock table (NULL cannot be a key). */
export const UNKNOWN_SKU = "";

import type Database from "better-sqlite3";

/**
 * Sales orders in the gateway's SQLite store (issue 15). `credit_state` is
 * the credit decision's (approved, held, released); `state` is what the
 * order shows, derived from it, the goods and the invoices (fulfilment.ts),
 * and `version` grows with every change of `state` so that a node keeps the
 * newest retained message. `order_events` is the order's history, each row
 * written in the transaction of the gateway-ledger entry it names.
 */
const ORDERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  number TEXT PRIMARY KEY,
  customer TEXT NOT NULL,
  order_date TEXT NOT NULL,
  requested_ship_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  total INTEGER NOT NULL,
  credit_state TEXT NOT NULL CHECK (credit_state IN ('approved', 'held', 'released')),
  cancelled INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  decision TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_seq INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer, credit_state, order_date, created_seq);
CREATE INDEX IF NOT EXISTS orders_state ON orders (state);
-- The store's shipments, looked up by the order they were tagged for.
CREATE INDEX IF NOT EXISTS shipments_order ON shipments (order_ref, chain, seq);

CREATE TABLE IF NOT EXISTS order_lines (
  number TEXT NOT NULL,
  line INTEGER NOT NULL,
  sku TEXT,
  gtin TEXT,
  quantity INTEGER NOT NULL,
  unit_price INTEGER NOT NULL,
  PRIMARY KEY (number, line)
) STRICT;

CREATE TABLE IF NOT EXISTS order_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  number TEXT NOT NULL,
  -- The gateway-ledger entry of the step; null for what the goods and invoices did (their own records).
  seq INTEGER,
  at TEXT NOT NULL,
  state TEXT NOT NULL,
  by TEXT NOT NULL,
  reason TEXT,
  exposure_before INTEGER,
  exposure_after INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS order_events_number ON order_events (number, id);

-- How far each node's shipments were looked at for fulfilment and hold breaches.
CREATE TABLE IF NOT EXISTS order_marks (chain TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;

-- One "goods left under credit hold" alert per order and state version (0: an order never heard of).
CREATE TABLE IF NOT EXISTS order_breaches (
  number TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (number, version)
) STRICT;
`;

const ready = new WeakSet<Database.Database>();

/**
 * Creates the order tables once per connection. The exposure reads them
 * (open orders) whether or not an order service runs over the same store.
 */
export function ensureOrderTables(db: Database.Database): void {
  if (ready.has(db)) return;
  db.exec(ORDERS_SCHEMA);
  ready.add(db);
}

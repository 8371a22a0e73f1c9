import type Database from "better-sqlite3";

/**
 * The webhook outbox. `webhook_events` holds each event once, its id the
 * commit order; `webhook_deliveries` one row per (subscription, event),
 * written at enqueue for the subscriptions whose filter matched, so a
 * subscription's queue is fixed at commit time and survives restarts.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS webhook_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  occurred_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription TEXT NOT NULL,
  event INTEGER NOT NULL REFERENCES webhook_events (id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at TEXT,
  last_error TEXT,
  delivered_at TEXT,
  dead_at TEXT,
  UNIQUE (subscription, event)
) STRICT;
CREATE INDEX IF NOT EXISTS webhook_deliveries_queue ON webhook_deliveries (subscription, state, event);
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries (event);
CREATE TABLE IF NOT EXISTS webhook_subscription_status (
  subscription TEXT PRIMARY KEY,
  last_attempt_at TEXT,
  last_delivered_at TEXT,
  last_delivered_event INTEGER,
  last_error TEXT,
  last_error_at TEXT
) STRICT;
`;

const ready = new WeakSet<Database.Database>();

export function ensureWebhookTables(db: Database.Database): void {
  if (ready.has(db)) return;
  db.exec(TABLES);
  ready.add(db);
}

export type DeliveryState = "pending" | "delivered" | "dead";

import Database from "better-sqlite3";

/**
 * The deliverer's own connection to the gateway's store. Its writes are
 * only "this event was delivered" marks, so it commits with synchronous =
 * NORMAL: in WAL mode a killed process still loses no commit, and a power
 * cut loses at most the last marks, whose events are then sent again with
 * the same Idempotency-Key (at least once). That spares an fsync per
 * delivery, which on the store's own FULL connection would also block the
 * gateway's event loop each time.
 */
export function openDelivererConnection(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  // As the store's connection: fewer, larger checkpoints.
  db.pragma("wal_autocheckpoint = 4000");
  db.pragma("foreign_keys = ON");
  // Another process (a CLI command on the store) may hold the write lock for a moment.
  db.pragma("busy_timeout = 5000");
  return db;
}

import type { Database, Statement } from "better-sqlite3";

/**
 * When each node's clock was flagged as skewed (see ingest/clock-skew.ts):
 * one row per period, open (`flagged_until` NULL) while it lasts. Kept so
 * that "was this node flagged when the gateway received that entry?" has an
 * answer long after the flag cleared: the reconciliation ages of entries
 * received in a period use the receive time, not the node's `ts`.
 * Only added to, and each period closed once: re-running the DDL is harmless.
 */
export const CLOCK_FLAGS_SCHEMA = `
CREATE TABLE IF NOT EXISTS node_clock_flags (
  node TEXT NOT NULL,
  flagged_from TEXT NOT NULL,
  flagged_until TEXT,
  skew_ms INTEGER NOT NULL,
  PRIMARY KEY (node, flagged_from)
) WITHOUT ROWID;
`;

/**
 * SQL true when the entry of chain `chain` received at `receivedAt` came in
 * while its node's clock was flagged. Times are ISO 8601 UTC strings, which
 * compare as text.
 */
export function flaggedAtReceiptSql(chain: string, receivedAt: string): string {
  return `EXISTS (SELECT 1 FROM node_clock_flags f WHERE f.node = ${chain} AND f.flagged_from <= ${receivedAt} AND (f.flagged_until IS NULL OR ${receivedAt} < f.flagged_until))`;
}

/**
 * The time reconciliation ages a movement by: its own `at`, or the gateway's
 * receive time when its node's clock was flagged as it arrived.
 */
export function effectiveAtSql(alias: string): string {
  return `CASE WHEN ${flaggedAtReceiptSql(`${alias}.chain`, `${alias}.received_at`)} THEN ${alias}.received_at ELSE ${alias}.at END`;
}

export interface ClockFlagPeriod {
  node: string;
  from: string;
  until: string | null;
  /** The skew measured when the flag was raised, in ms (node clock − gateway clock). */
  skewMs: number;
}

interface PeriodRow {
  node: string;
  flagged_from: string;
  flagged_until: string | null;
  skew_ms: number;
}

export class ClockFlags {
  private readonly openOf: Statement<[string], PeriodRow>;
  private readonly insert: Statement<[string, string, number]>;
  private readonly close: Statement<[string, string]>;
  private readonly all: Statement<[string], PeriodRow>;

  constructor(db: Database) {
    db.exec(CLOCK_FLAGS_SCHEMA);
    this.openOf = db.prepare(
      "SELECT * FROM node_clock_flags WHERE node = ? AND flagged_until IS NULL ORDER BY flagged_from DESC LIMIT 1",
    );
    this.insert = db.prepare(
      "INSERT OR IGNORE INTO node_clock_flags (node, flagged_from, skew_ms) VALUES (?, ?, ?)",
    );
    this.close = db.prepare(
      "UPDATE node_clock_flags SET flagged_until = ? WHERE node = ? AND flagged_until IS NULL",
    );
    this.all = db.prepare("SELECT * FROM node_clock_flags WHERE node = ? ORDER BY flagged_from");
  }

  /** The node's flag period under way, if any. */
  current(node: string): ClockFlagPeriod | undefined {
    const row = this.openOf.get(node);
    return row ? toPeriod(row) : undefined;
  }

  raise(node: string, at: string, skewMs: number): void {
    if (this.current(node)) return;
    this.insert.run(node, at, Math.round(skewMs));
  }

  clear(node: string, at: string): void {
    this.close.run(at, node);
  }

  periods(node: string): ClockFlagPeriod[] {
    return this.all.all(node).map(toPeriod);
  }
}

function toPeriod(row: PeriodRow): ClockFlagPeriod {
  return { node: row.node, from: row.flagged_from, until: row.flagged_until, skewMs: row.skew_ms };
}

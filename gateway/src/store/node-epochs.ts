import type Database from "better-sqlite3";

const TABLE = `CREATE TABLE IF NOT EXISTS node_epochs (
  node TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  last_good_seq INTEGER NOT NULL,
  last_good_hash TEXT NOT NULL,
  broken_seq INTEGER NOT NULL,
  broken_reason TEXT NOT NULL,
  broken_detail TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (node, epoch)
) STRICT`;

/** How an epoch of a node's chain ended, and who started the next one, and why. */
export interface EpochRecord {
  /** The epoch that starts here (the first is 1 and has no record). */
  epoch: number;
  startedAt: string;
  /** The last entry of the previous epoch the gateway verified: the new epoch links to it. */
  lastGood: { seq: number; hash: string };
  /** Where and why the previous epoch broke: kept as evidence, never cleared. */
  broken: { seq: number; reason: string; detail: string };
  reason: string;
  /** `kind:id` of who started it (a token id, or an OS user). */
  actor: string;
}

interface EpochRow {
  epoch: number;
  started_at: string;
  last_good_seq: number;
  last_good_hash: string;
  broken_seq: number;
  broken_reason: string;
  broken_detail: string;
  reason: string;
  actor: string;
}

/**
 * Epochs of node chains. A broken chain stays broken: its stored entries
 * and where it broke are evidence. Recovery starts a new epoch instead,
 * which continues from the last entry the gateway verified (the node's
 * first entry of the new epoch names it), and the node is taken again.
 */
export class NodeEpochs {
  constructor(private readonly db: Database.Database) {
    this.db.exec(TABLE);
  }

  /** The node's epochs after the first, oldest first. */
  history(node: string): EpochRecord[] {
    return this.db
      .prepare<[string], EpochRow>("SELECT * FROM node_epochs WHERE node = ? ORDER BY epoch")
      .all(node)
      .map((row) => ({
        epoch: row.epoch,
        startedAt: row.started_at,
        lastGood: { seq: row.last_good_seq, hash: row.last_good_hash },
        broken: { seq: row.broken_seq, reason: row.broken_reason, detail: row.broken_detail },
        reason: row.reason,
        actor: row.actor,
      }));
  }

  /** The node's current epoch: 1 until a recovery. */
  current(node: string): number {
    const row = this.db
      .prepare<[string], { epoch: number | null }>(
        "SELECT MAX(epoch) AS epoch FROM node_epochs WHERE node = ?",
      )
      .get(node);
    return row?.epoch ?? 1;
  }

  /**
   * Records the new epoch and takes the node's chain again from its stored
   * head. Call inside the transaction that records it in the gateway ledger.
   */
  start(node: string, record: EpochRecord): void {
    this.db
      .prepare(
        `INSERT INTO node_epochs (node, epoch, started_at, last_good_seq, last_good_hash,
           broken_seq, broken_reason, broken_detail, reason, actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        node,
        record.epoch,
        record.startedAt,
        record.lastGood.seq,
        record.lastGood.hash,
        record.broken.seq,
        record.broken.reason,
        record.broken.detail,
        record.reason,
        record.actor,
      );
    this.db
      .prepare(
        `UPDATE nodes SET state = 'ok', broken_seq = NULL, broken_reason = NULL, broken_detail = NULL
         WHERE id = ?`,
      )
      .run(node);
  }
}

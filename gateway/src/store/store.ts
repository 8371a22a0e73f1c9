import {
  type ChainPoint,
  type Clock,
  GENESIS_PREV,
  type LedgerEntry,
  type StockRow,
  systemClock,
  type TagPlace,
} from "@comptoir/contracts";
import Database from "better-sqlite3";
import { Projector } from "./projector.js";
import { SALES_SCHEMA, SCHEMA, SCHEMA_VERSION, UNKNOWN_SKU } from "./schema.js";

export interface NodeRecord {
  id: string;
  /** Raw Ed25519 public key, hex. */
  publicKey: string;
  enrolledAt: string;
  head: ChainPoint;
  lastSeen: string | null;
  state: "ok" | "broken";
  broken: { seq: number; reason: string; detail: string } | null;
}

export interface MovementRow {
  chain: string;
  seq: number;
  epc: string;
  sku: string | null;
  kind: string;
  from: string | null;
  to: string | null;
  at: string;
  receivedAt: string;
}

interface NodeRow {
  id: string;
  public_key: string;
  enrolled_at: string;
  head_seq: number;
  head_hash: string;
  last_seen: string | null;
  state: "ok" | "broken";
  broken_seq: number | null;
  broken_reason: string | null;
  broken_detail: string | null;
}

interface EntryRow {
  chain: string;
  seq: number;
  ts: string;
  type: string;
  data: string;
  prev: string;
  hash: string;
}

/** An item in a zone, with the movement that put it there (none when only commissioned there). */
export interface ItemInZone {
  epc: string;
  sku: string | null;
  zone: string;
  chain: string;
  seq: number;
  kind: string | null;
  at: string | null;
  receivedAt: string | null;
}

/** A row of the movements table as SQLite gives it. */
export interface MovementDbRow {
  chain: string;
  seq: number;
  epc: string;
  sku: string | null;
  kind: string;
  from_zone: string | null;
  to_zone: string | null;
  at: string;
  received_at: string;
}

/**
 * The gateway's store: SQLite in WAL mode with synchronous=FULL, so that a
 * committed (and therefore acknowledged) batch survives power loss; batches
 * keep that affordable. Kept behind this class so that PostgreSQL can later
 * be another implementation, not a rewrite.
 */
export class Store {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly projector: Projector;
  private readonly insertEntry: Database.Statement<
    [string, number, string, string, string, string, string, string]
  >;
  /** Prepared once: ingest reads the node and moves its head on every batch. */
  private readonly selectNode: Database.Statement<[string], NodeRow>;
  private readonly moveHead: Database.Statement<[number, string, string, string]>;

  constructor(path: string, options: { clock?: Clock } = {}) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    // Checkpoint the WAL every 16 MB rather than SQLite's 4 MB: ingest rewrites the
    // same index pages (tags, movements by EPC) batch after batch, and each page then
    // reaches the database file, with its fsync, once per checkpoint instead of four
    // times (about 10 % more entries/s stored).
    this.db.pragma("wal_autocheckpoint = 4000");
    this.db.pragma("foreign_keys = ON");
    this.db.exec(SCHEMA);
    this.db.exec(SALES_SCHEMA);
    this.db
      .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)")
      .run(String(SCHEMA_VERSION));
    this.clock = options.clock ?? systemClock;
    this.projector = new Projector(this.db);
    this.insertEntry = this.db.prepare(
      "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.selectNode = this.db.prepare<[string], NodeRow>("SELECT * FROM nodes WHERE id = ?");
    this.moveHead = this.db.prepare(
      "UPDATE nodes SET head_seq = ?, head_hash = ?, last_seen = ? WHERE id = ?",
    );
  }

  close(): void {
    this.db.close();
  }

  enrollNode(id: string, publicKey: string): NodeRecord {
    this.db
      .prepare("INSERT INTO nodes (id, public_key, enrolled_at, head_hash) VALUES (?, ?, ?, ?)")
      .run(id, publicKey, this.clock.now().toISOString(), GENESIS_PREV);
    return this.node(id) as NodeRecord;
  }

  node(id: string): NodeRecord | undefined {
    const row = this.selectNode.get(id);
    return row ? toNode(row) : undefined;
  }

  nodes(): NodeRecord[] {
    return this.db.prepare<[], NodeRow>("SELECT * FROM nodes ORDER BY id").all().map(toNode);
  }

  /**
   * Stores verified entries that continue the node's stored head, projects
   * them, and moves the head: all in one transaction, all or nothing.
   */
  appendEntries(chain: string, entries: readonly LedgerEntry[]): ChainPoint {
    const receivedAt = this.clock.now().toISOString();
    const run = this.db.transaction(() => {
      for (const entry of entries) {
        this.insertEntry.run(
          entry.chain,
          entry.seq,
          entry.ts,
          entry.type,
          JSON.stringify(entry.data),
          entry.prev,
          entry.hash,
          receivedAt,
        );
        this.projector.apply(entry, receivedAt);
      }
      this.projector.flush();
      const last = entries.at(-1);
      if (last) this.moveHead.run(last.seq, last.hash, receivedAt, chain);
    });
    run.immediate();
    return (this.node(chain) as NodeRecord).head;
  }

  touchNode(id: string): void {
    this.db
      .prepare("UPDATE nodes SET last_seen = ? WHERE id = ?")
      .run(this.clock.now().toISOString(), id);
  }

  markBroken(id: string, seq: number, reason: string, detail: string): void {
    this.db
      .prepare(
        "UPDATE nodes SET state = 'broken', broken_seq = ?, broken_reason = ?, broken_detail = ? WHERE id = ?",
      )
      .run(seq, reason, detail, id);
  }

  /** A stored chain's entries from `fromSeq`, in order, streamed. */
  *entries(chain: string, fromSeq = 1): Generator<LedgerEntry> {
    const rows = this.db
      .prepare<[string, number], EntryRow>(
        "SELECT chain, seq, ts, type, data, prev, hash FROM entries WHERE chain = ? AND seq >= ? ORDER BY seq",
      )
      .iterate(chain, fromSeq);
    for (const row of rows) yield { ...row, data: JSON.parse(row.data) as unknown };
  }

  stock(filter: { zone?: string; sku?: string } = {}): StockRow[] {
    const rows = this.db
      .prepare<
        { zone: string | null; sku: string | null },
        { sku: string; zone: string; count: number }
      >(
        "SELECT sku, zone, count FROM stock WHERE (@zone IS NULL OR zone = @zone) AND (@sku IS NULL OR sku = @sku) AND count <> 0 ORDER BY sku, zone",
      )
      .all({ zone: filter.zone ?? null, sku: filter.sku ?? null });
    return rows.map((row) => ({
      sku: row.sku === UNKNOWN_SKU ? null : row.sku,
      zone: row.zone,
      count: row.count,
    }));
  }

  /**
   * The items in a zone now (of one SKU when given), each with the movement
   * that put it there, newest first: the drill-down behind a stock row.
   */
  itemsIn(zone: string, sku: string | undefined, limit: number): ItemInZone[] {
    return this.db
      .prepare<[string, string | null, string | null, number], ItemInZone>(
        `SELECT t.epc, t.sku, t.zone, t.chain, t.seq, m.kind, m.at, m.received_at AS receivedAt
         FROM tags t LEFT JOIN movements m ON m.chain = t.chain AND m.seq = t.seq
         WHERE t.zone = ? AND (? IS NULL OR t.sku = ?)
         ORDER BY m.received_at DESC, t.epc LIMIT ?`,
      )
      .all(zone, sku ?? null, sku ?? null, limit);
  }

  tag(epc: string): { place: TagPlace | undefined; history: MovementRow[] } {
    const place = this.db
      .prepare<[string], TagPlace>("SELECT sku, zone FROM tags WHERE epc = ?")
      .get(epc);
    const history = this.db
      .prepare<[string], MovementDbRow>(
        "SELECT * FROM movements WHERE epc = ? ORDER BY received_at DESC, chain, seq DESC",
      )
      .all(epc)
      .map(toMovement);
    return { place, history };
  }

  /** Movements, newest first: by receive time, then chain and seq. */
  movements(filter: { since?: string; node?: string; sku?: string; limit: number }): MovementRow[] {
    return this.db
      .prepare<
        { since: string | null; node: string | null; sku: string | null; limit: number },
        MovementDbRow
      >(
        `SELECT * FROM movements
         WHERE (@since IS NULL OR received_at >= @since) AND (@node IS NULL OR chain = @node) AND (@sku IS NULL OR sku = @sku)
         ORDER BY received_at DESC, chain, seq DESC LIMIT @limit`,
      )
      .all({
        since: filter.since ?? null,
        node: filter.node ?? null,
        sku: filter.sku ?? null,
        limit: filter.limit,
      })
      .map(toMovement);
  }
}

function toNode(row: NodeRow): NodeRecord {
  return {
    id: row.id,
    publicKey: row.public_key,
    enrolledAt: row.enrolled_at,
    head: { seq: row.head_seq, hash: row.head_hash },
    lastSeen: row.last_seen,
    state: row.state,
    broken:
      row.state === "broken"
        ? {
            seq: row.broken_seq ?? 0,
            reason: row.broken_reason ?? "",
            detail: row.broken_detail ?? "",
          }
        : null,
  };
}

/** A movements-table row as the API and the live feed show it. */
export function toMovement(row: MovementDbRow): MovementRow {
  return {
    chain: row.chain,
    seq: row.seq,
    epc: row.epc,
    sku: row.sku,
    kind: row.kind,
    from: row.from_zone,
    to: row.to_zone,
    at: row.at,
    receivedAt: row.received_at,
  };
}

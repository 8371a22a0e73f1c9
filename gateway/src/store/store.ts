import {
  type ChainPoint,
  type Clock,
  GENESIS_PREV,
  type LedgerEntry,
  resolveStockRows,
  type SkuOfGtin,
  type StockRow,
  systemClock,
  type TagPlace,
} from "@comptoir/contracts";
import Database from "better-sqlite3";
import { CLOCK_FLAGS_SCHEMA } from "./clock-flags.js";
import { gtinLookup, ofProductSql, PRODUCT_GTINS_SCHEMA, productSql } from "./identity.js";
import { Projector } from "./projector.js";
import {
  MIGRATE_1_TO_2,
  NO_KEY,
  RECOUNT_STOCK,
  SALES_SCHEMA,
  SCHEMA,
  SCHEMA_VERSION,
} from "./schema.js";

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
  /** The item's product: commissioned, else its GTIN's in the catalog now; null when unknown. */
  sku: string | null;
  gtin: string | null;
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
  gtin: string | null;
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
  gtin: string | null;
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
  /** The catalog's GTIN → SKU, as it is when asked. */
  readonly skuOfGtin: SkuOfGtin;

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
    try {
      this.db.transaction(() => this.createSchema())();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.clock = options.clock ?? systemClock;
    this.skuOfGtin = gtinLookup(this.db);
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

  /** Creates the tables, or brings a store of an older schema up to this one. */
  private createSchema(): void {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    );
    const stored = this.db
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'")
      .get()?.value;
    const migrate = stored === "1";
    if (stored !== undefined && !migrate && stored !== String(SCHEMA_VERSION)) {
      throw new Error(
        `the gateway's store has schema ${stored}, which this version does not know: run the version that wrote it`,
      );
    }
    if (migrate) this.db.exec(MIGRATE_1_TO_2);
    this.db.exec(SCHEMA);
    this.db.exec(SALES_SCHEMA);
    this.db.exec(PRODUCT_GTINS_SCHEMA);
    // Nodes' clock-skew periods: a table added without a schema version (it only adds).
    this.db.exec(CLOCK_FLAGS_SCHEMA);
    if (migrate) this.db.exec(RECOUNT_STOCK);
    this.db
      .prepare(
        "INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(String(SCHEMA_VERSION));
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
   * `dataJson[i]`, when given, is entry i's data as canonical JSON (what
   * verifying it produced), stored instead of stringifying the data again.
   */
  appendEntries(
    chain: string,
    entries: readonly LedgerEntry[],
    dataJson: readonly (string | undefined)[] = [],
  ): ChainPoint {
    const receivedAt = this.clock.now().toISOString();
    const run = this.db.transaction(() => {
      for (const [i, entry] of entries.entries()) {
        this.insertEntry.run(
          entry.chain,
          entry.seq,
          entry.ts,
          entry.type,
          dataJson[i] ?? JSON.stringify(entry.data),
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
  entries(chain: string, fromSeq = 1): Generator<LedgerEntry> {
    return chainEntries(this.db, chain, fromSeq);
  }

  /** Items per product and zone now (see identity.ts): GTINs joined to their products. */
  stock(filter: { zone?: string; sku?: string } = {}): StockRow[] {
    const rows = this.db
      .prepare<{ zone: string | null }, { sku: string; gtin: string; zone: string; count: number }>(
        "SELECT sku, gtin, zone, count FROM stock WHERE (@zone IS NULL OR zone = @zone) AND count <> 0",
      )
      .all({ zone: filter.zone ?? null });
    return resolveStockRows(
      rows.map((row) => ({
        sku: row.sku === NO_KEY ? null : row.sku,
        ...(row.gtin === NO_KEY ? {} : { gtin: row.gtin }),
        zone: row.zone,
        count: row.count,
      })),
      this.skuOfGtin,
      filter,
    );
  }

  /** How many items of one product (or unknown GTIN, or unknown tags) are in a zone now. */
  stockCount(item: { sku: string | null; gtin?: string | undefined }, zone: string): number {
    if (item.sku !== null) {
      return (
        this.db
          .prepare<{ sku: string; zone: string }, { count: number | null }>(
            `SELECT SUM(count) AS count FROM stock s WHERE zone = @zone
               AND (s.sku = @sku OR (s.sku = '' AND s.gtin IN (SELECT pg.gtin FROM product_gtins pg WHERE pg.sku = @sku)))`,
          )
          .get({ sku: item.sku, zone })?.count ?? 0
      );
    }
    return (
      this.db
        .prepare<[string, string], { count: number }>(
          "SELECT count FROM stock WHERE sku = '' AND gtin = ? AND zone = ?",
        )
        .get(item.gtin ?? NO_KEY, zone)?.count ?? 0
    );
  }

  /**
   * The items in a zone now (of one SKU when given), each with the movement
   * that put it there, newest first: the drill-down behind a stock row.
   */
  itemsIn(zone: string, sku: string | undefined, limit: number): ItemInZone[] {
    return this.db
      .prepare<{ zone: string; sku: string | null; limit: number }, ItemInZone>(
        `SELECT t.epc, ${productSql("t")} AS sku, t.gtin, t.zone, t.chain, t.seq, m.kind, m.at, m.received_at AS receivedAt
         FROM tags t LEFT JOIN movements m ON m.chain = t.chain AND m.seq = t.seq
         WHERE t.zone = @zone AND (@sku IS NULL OR ${ofProductSql("t")})
         ORDER BY m.received_at DESC, t.epc LIMIT @limit`,
      )
      .all({ zone, sku: sku ?? null, limit });
  }

  tag(epc: string): {
    place: (TagPlace & { gtin: string | null }) | undefined;
    history: MovementRow[];
  } {
    const place = this.db
      .prepare<[string], TagPlace & { gtin: string | null }>(
        `SELECT ${productSql("t")} AS sku, t.gtin, t.zone FROM tags t WHERE t.epc = ?`,
      )
      .get(epc);
    const history = this.db
      .prepare<[string], MovementDbRow>(
        `SELECT ${MOVEMENT_COLUMNS} FROM movements m WHERE m.epc = ? ORDER BY m.received_at DESC, m.chain, m.seq DESC`,
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
        `SELECT ${MOVEMENT_COLUMNS} FROM movements m
         WHERE (@since IS NULL OR m.received_at >= @since) AND (@node IS NULL OR m.chain = @node) AND (@sku IS NULL OR ${ofProductSql("m")})
         ORDER BY m.received_at DESC, m.chain, m.seq DESC LIMIT @limit`,
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

/** The movements table's columns with each movement's product found (alias `m`). */
/**
 * A stored chain's entries from `fromSeq`, in order, streamed, from any
 * handle on the gateway's database (the audit worker opens its own, read-only).
 */
export function* chainEntries(
  db: Database.Database,
  chain: string,
  fromSeq = 1,
): Generator<LedgerEntry> {
  const rows = db
    .prepare<[string, number], EntryRow>(
      "SELECT chain, seq, ts, type, data, prev, hash FROM entries WHERE chain = ? AND seq >= ? ORDER BY seq",
    )
    .iterate(chain, fromSeq);
  for (const row of rows) yield { ...row, data: JSON.parse(row.data) as unknown };
}

export const MOVEMENT_COLUMNS = `m.chain, m.seq, m.epc, ${productSql("m")} AS sku, m.gtin, m.kind, m.from_zone, m.to_zone, m.at, m.received_at`;

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
    gtin: row.gtin,
    kind: row.kind,
    from: row.from_zone,
    to: row.to_zone,
    at: row.at,
    receivedAt: row.received_at,
  };
}

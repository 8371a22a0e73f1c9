import type { MovementKind } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { UnitMovement } from "./book.js";
import { isoMs } from "./instant.js";

/**
 * The store's movements as valuation reads them, caught up per node chain
 * after the last seq read (chains only grow). The product is resolved when
 * read: the movement's own SKU, else the SKU its tag was commissioned to,
 * else the product of its GTIN (identity.ts). The order of a receipt,
 * shipment or counter sale is in the entry's JSON only, so only those
 * kinds pay for reading it.
 */
const TAG_GTIN = "(SELECT t.gtin FROM tags t WHERE t.epc = m.epc)";
// COALESCE stops at its first value: a movement that names its SKU (most) looks nothing up.
const MOVEMENTS_SQL = `
SELECT m.seq, m.epc,
  COALESCE(m.sku, (SELECT t.sku FROM tags t WHERE t.epc = m.epc),
    (SELECT pg.sku FROM product_gtins pg WHERE pg.gtin = COALESCE(m.gtin, ${TAG_GTIN}))) AS sku,
  COALESCE(m.gtin, CASE WHEN m.sku IS NULL THEN ${TAG_GTIN} END) AS gtin,
  m.kind, m.from_zone, m.to_zone, m.at,
  CASE WHEN m.kind IN ('receive', 'ship', 'sale')
    THEN (SELECT json_extract(e.data, '$.order') FROM entries e WHERE e.chain = m.chain AND e.seq = m.seq) END AS ord
FROM movements m
WHERE m.chain = ? AND m.seq > ?
ORDER BY m.seq`;

type Row = [
  number,
  string,
  string | null,
  string | null,
  MovementKind,
  string | null,
  string | null,
  string,
  string | number | null,
];

/** A movement with no product: an item of an unknown GTIN, or a plain tag nobody commissioned. */
export interface UnvaluedMovement {
  epc: string;
  gtin: string | null;
  atMs: number;
  onSite: boolean;
}

export interface MovementBatch {
  /** Time order (stable: chain, then seq), so the book replays nothing it need not. */
  movements: UnitMovement[];
  unvalued: UnvaluedMovement[];
}

export class MovementSource {
  /** Per chain: the last movement seq read, and the last entry seq looked at for commissions. */
  private readonly lastMovement = new Map<string, number>();
  private readonly lastEntry = new Map<string, number>();

  constructor(private readonly db: Database.Database) {}

  reset(): void {
    this.lastMovement.clear();
    this.lastEntry.clear();
  }

  private chains(): string[] {
    return prepared<[], { id: string }>(this.db, "SELECT id FROM nodes ORDER BY id")
      .all()
      .map((row) => row.id);
  }

  /** The movements stored since the last call (all of them on the first). */
  read(): MovementBatch {
    const statement = this.db.prepare<[string, number], Row>(MOVEMENTS_SQL).raw(true);
    const movements: UnitMovement[] = [];
    const ms: number[] = [];
    const unvalued: UnvaluedMovement[] = [];
    for (const chain of this.chains()) {
      const after = this.lastMovement.get(chain) ?? 0;
      let last = after;
      for (const row of statement.iterate(chain, after) as IterableIterator<Row>) {
        const [seq, epc, sku, gtin, kind, from, to, at, order] = row;
        last = seq;
        const atMs = isoMs(at);
        if (sku === null) {
          unvalued.push({ epc, gtin, atMs, onSite: to !== null });
          continue;
        }
        movements.push({
          chain,
          seq,
          epc,
          sku,
          kind,
          from,
          to,
          at,
          order: order === null ? null : String(order),
        });
        ms.push(atMs);
      }
      this.lastMovement.set(chain, last);
    }
    const order = movements.map((_, i) => i);
    order.sort((a, b) => (ms[a] as number) - (ms[b] as number) || a - b);
    return { movements: order.map((i) => movements[i] as UnitMovement), unvalued };
  }

  /** Starts the commission watch at the chains' heads (a full build read the tags as they are). */
  markEntries(): void {
    for (const chain of this.chains()) {
      const head = prepared<[string], { seq: number | null }>(
        this.db,
        "SELECT MAX(seq) AS seq FROM entries WHERE chain = ?",
      ).get(chain)?.seq;
      this.lastEntry.set(chain, head ?? 0);
    }
  }

  /**
   * True when a tag commissioned since the last call had movements already
   * read with no product of their own: those movements now belong to the
   * commissioned product, which takes a rebuild (rare: tags are commissioned
   * before they move).
   */
  commissionedLate(): boolean {
    let late = false;
    for (const chain of this.chains()) {
      const after = this.lastEntry.get(chain) ?? 0;
      const head =
        prepared<[string, number], { seq: number | null }>(
          this.db,
          "SELECT MAX(seq) AS seq FROM entries WHERE chain = ? AND seq > ?",
        ).get(chain, after)?.seq ?? null;
      if (head === null) continue;
      this.lastEntry.set(chain, head);
      const commissioned = prepared<[string, number, number], { epc: string }>(
        this.db,
        "SELECT json_extract(data, '$.epc') AS epc FROM entries WHERE chain = ? AND seq > ? AND seq <= ? AND type = 'commission'",
      ).all(chain, after, head);
      for (const { epc } of commissioned) {
        const unnamed = prepared<[string], { chain: string; seq: number }>(
          this.db,
          "SELECT chain, seq FROM movements WHERE epc = ? AND sku IS NULL",
        ).all(epc);
        // Only movements already read count: newer ones are read with the tag's SKU.
        if (unnamed.some((m) => m.seq <= (this.lastMovement.get(m.chain) ?? 0))) late = true;
      }
    }
    return late;
  }
}

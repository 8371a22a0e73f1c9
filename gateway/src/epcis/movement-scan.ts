import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import { EXPORTED_KINDS, type ExportedKind } from "./vocabulary.js";

/** A movement as the export reads it, with the document its ledger entry names. */
export interface ScannedMovement {
  chain: string;
  seq: number;
  epc: string;
  kind: ExportedKind;
  from: string | null;
  to: string | null;
  /** Observed, by the node's clock. */
  at: string;
  /** Recorded: when the gateway received it. */
  receivedAt: string;
  /** Receiving: the reference the dock set (a purchase order or a despatch advice); shipping: the sales order. */
  order: string | null;
  /** A counter sale's id. */
  sale: string | null;
}

export interface ScanFilter {
  /** Recorded at or after (ISO UTC). */
  from?: string;
  /** Recorded before (ISO UTC). */
  to?: string;
  epc?: string;
  kind?: ExportedKind;
}

interface Row extends Omit<ScannedMovement, "from" | "to" | "receivedAt"> {
  from_zone: string | null;
  to_zone: string | null;
  received_at: string;
}

/** Movements read per statement: one page of the export in memory at a time. */
export const SCAN_PAGE = 1000;

const KINDS = EXPORTED_KINDS.map((kind) => `'${kind}'`).join(", ");

/**
 * The movements of the export's kinds in the order the gateway recorded them
 * (receive time, chain, seq), a page at a time. Keyset paging from the last
 * row read: the range condition on received_at starts where the page ended,
 * so each page is an index range, not a rescan from `from`.
 */
export function* scanMovements(
  db: Database.Database,
  filter: ScanFilter,
  pageSize = SCAN_PAGE,
): Generator<ScannedMovement[]> {
  // Only the conditions the filter has: an `(@x IS NULL OR …)` form would keep SQLite from
  // searching the received_at (or epc) index by range, and every page would scan from the start.
  const where = [`m.kind IN (${KINDS})`];
  if (filter.epc !== undefined) where.push("m.epc = @epc");
  if (filter.kind !== undefined) where.push("m.kind = @kind");
  if (filter.to !== undefined) where.push("m.received_at < @to");
  const first = filter.from !== undefined ? ["m.received_at >= @start"] : [];
  const next = [
    "m.received_at >= @r",
    "NOT (m.received_at = @r AND (m.chain < @c OR (m.chain = @c AND m.seq <= @s)))",
  ];
  const statement = (range: string[]) =>
    prepared<Record<string, string | number>, Row>(
      db,
      `SELECT m.chain, m.seq, m.epc, m.kind, m.from_zone, m.to_zone, m.at, m.received_at,
              CASE WHEN m.kind IN ('receive', 'ship') THEN
                (SELECT json_extract(e.data, '$.order') FROM entries e WHERE e.chain = m.chain AND e.seq = m.seq)
              END AS "order",
              CASE WHEN m.kind = 'sale' THEN
                (SELECT id FROM sales WHERE chain = m.chain AND seq < m.seq ORDER BY seq DESC LIMIT 1)
              END AS sale
       FROM movements m
       WHERE ${[...where, ...range].join(" AND ")}
       ORDER BY m.received_at, m.chain, m.seq LIMIT @limit`,
    );
  const params: Record<string, string | number> = { limit: pageSize };
  if (filter.epc !== undefined) params.epc = filter.epc;
  if (filter.kind !== undefined) params.kind = filter.kind;
  if (filter.to !== undefined) params.to = filter.to;
  if (filter.from !== undefined) params.start = filter.from;
  let rows = statement(first).all(params);
  for (;;) {
    if (rows.length === 0) return;
    yield rows.map(({ from_zone, to_zone, received_at, ...row }) => ({
      ...row,
      from: from_zone,
      to: to_zone,
      receivedAt: received_at,
    }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1] as Row;
    const { start: _start, ...rest } = params;
    rows = statement(next).all({ ...rest, r: last.received_at, c: last.chain, s: last.seq });
  }
}

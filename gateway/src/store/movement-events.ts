import type Database from "better-sqlite3";
import { ofProductSql, productSql } from "./identity.js";
import { prepared } from "./prepared.js";
import type { MovementDbRow } from "./store.js";

/**
 * A movement event: what a person saw happen, where the ledger holds one
 * movement per tag. A pallet through the dock's portal is forty movements of
 * one node, one kind, one product, the same zones and order, observed within
 * seconds; here it is one event with forty EPCs.
 */
export interface MovementEvent {
  chain: string;
  kind: string;
  sku: string | null;
  gtin: string | null;
  from: string | null;
  to: string | null;
  /** When the node did not say where the items came from (a shelf's put-away): where they were before, as the gateway knows it. */
  cameFrom: string | null;
  /** A shipment's order. */
  order: string | null;
  /** A counter sale's id. */
  sale: string | null;
  count: number;
  /** The items' EPCs, up to EVENT_EPCS of them. */
  epcs: string[];
  /** The first and last observation, by the node's clock. */
  firstAt: string;
  lastAt: string;
  /** When the gateway received the newest of its movements. */
  receivedAt: string;
}

export interface MovementEventFilter {
  since?: string;
  node?: string;
  sku?: string;
  /** Items of this GTIN (an unknown product's, or one of a product's). */
  gtin?: string;
  kind?: string;
  /** Moved from or to this zone. */
  zone?: string;
  limit: number;
}

/** Movements of one event are observed within this much of each other (a portal pass, a basket, a shelf's sweep). */
export const EVENT_GAP_MS = 60_000;
/** EPCs listed per event; `count` says how many there were. */
export const EVENT_EPCS = 500;
/** Movements read to make the events of one answer. */
export const EVENT_SCAN = 5000;

/** A movement row with the order or counter sale its ledger entry names. */
interface Row extends MovementDbRow {
  order_ref: string | null;
  sale: string | null;
}

/**
 * The newest movement events among the newest EVENT_SCAN movements that
 * match, newest first. `complete` is false when more matching movements
 * were left unread (older events may then be cut short).
 */
export function movementEvents(
  db: Database.Database,
  filter: MovementEventFilter,
): { events: MovementEvent[]; complete: boolean } {
  const rows = db
    .prepare<Record<string, string | number | null>, Row>(
      `SELECT m.chain, m.seq, m.epc, ${productSql("m")} AS sku, m.gtin, m.kind, m.from_zone, m.to_zone,
              m.at, m.received_at, s.order_ref,
              CASE WHEN m.kind = 'sale' THEN
                (SELECT id FROM sales WHERE chain = m.chain AND seq < m.seq ORDER BY seq DESC LIMIT 1)
              END AS sale
       FROM movements m LEFT JOIN shipments s ON s.chain = m.chain AND s.seq = m.seq
       WHERE (@since IS NULL OR m.received_at >= @since)
         AND (@node IS NULL OR m.chain = @node)
         AND (@sku IS NULL OR ${ofProductSql("m")})
         AND (@gtin IS NULL OR m.gtin = @gtin)
         AND (@kind IS NULL OR m.kind = @kind)
         AND (@zone IS NULL OR m.from_zone = @zone OR m.to_zone = @zone)
       ORDER BY m.received_at DESC, m.chain, m.seq DESC LIMIT @scan`,
    )
    .all({
      since: filter.since ?? null,
      node: filter.node ?? null,
      sku: filter.sku ?? null,
      gtin: filter.gtin ?? null,
      kind: filter.kind ?? null,
      zone: filter.zone ?? null,
      scan: EVENT_SCAN + 1,
    });
  const complete = rows.length <= EVENT_SCAN;
  const events: MovementEvent[] = [];
  // The event each key is gathering, newest first: a movement joins it when observed close enough.
  const open = new Map<string, MovementEvent>();
  for (const row of rows.slice(0, EVENT_SCAN)) {
    const key = [
      row.chain,
      row.kind,
      row.sku,
      row.gtin,
      row.from_zone,
      row.to_zone,
      row.order_ref,
      row.sale,
    ].join("\u0000");
    const event = open.get(key);
    if (event && Math.abs(Date.parse(event.firstAt) - Date.parse(row.at)) <= EVENT_GAP_MS) {
      event.count++;
      if (event.epcs.length < EVENT_EPCS) event.epcs.push(row.epc);
      if (row.at < event.firstAt) event.firstAt = row.at;
      if (row.at > event.lastAt) event.lastAt = row.at;
      continue;
    }
    if (events.length === filter.limit) {
      open.delete(key);
      continue;
    }
    const next: MovementEvent = {
      chain: row.chain,
      kind: row.kind,
      sku: row.sku,
      gtin: row.gtin,
      from: row.from_zone,
      to: row.to_zone,
      cameFrom: null,
      order: row.order_ref,
      sale: row.sale,
      count: 1,
      epcs: [row.epc],
      firstAt: row.at,
      lastAt: row.at,
      receivedAt: row.received_at,
    };
    open.set(key, next);
    events.push(next);
  }
  const before = prepared<[string, string], { to_zone: string | null }>(
    db,
    "SELECT to_zone FROM movements WHERE epc = ? AND at < ? ORDER BY at DESC LIMIT 1",
  );
  for (const event of events) {
    const first = event.epcs[0];
    if (event.from === null && event.kind !== "receive" && first)
      event.cameFrom = before.get(first, event.firstAt)?.to_zone ?? null;
  }
  return { events, complete };
}

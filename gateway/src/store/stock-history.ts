import {
  COMMISSION_TYPE,
  type LedgerEntry,
  MOVEMENT_TYPE,
  type SkuOfGtin,
  StockProjection,
  type StockRow,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { GATEWAY_CHAIN } from "../ledger/gateway-ledger.js";
import { flaggedAtReceiptSql } from "./clock-flags.js";

interface Row {
  chain: string;
  seq: number;
  ts: string;
  type: string;
  data: string;
  prev: string;
  hash: string;
  received_at: string;
  flagged: number;
}

/**
 * The site's stock as the gateway knew it at `asOf`: the stored movement
 * and commission entries received up to then, replayed in the order they
 * were stored (receive time, then chain and seq) through contracts'
 * StockProjection — the fold the live projection follows — with the
 * catalog's products as they are now. Receive time,
 * not the node's clock: a node's clock may be wrong.
 */
export function stockAsOf(
  db: Database.Database,
  asOf: Date,
  skuOfGtin: SkuOfGtin,
  filter: { zone?: string; sku?: string } = {},
): StockRow[] {
  const projection = new StockProjection();
  const rows = db
    .prepare<[string, string, string, string], Row>(
      `SELECT chain, seq, ts, type, data, prev, hash, received_at,
              ${flaggedAtReceiptSql("entries.chain", "entries.received_at")} AS flagged
       FROM entries
       WHERE chain <> ? AND type IN (?, ?) AND received_at <= ?
       ORDER BY received_at, chain, seq`,
    )
    .iterate(GATEWAY_CHAIN, MOVEMENT_TYPE, COMMISSION_TYPE, asOf.toISOString());
  for (const { received_at: receivedAt, flagged, ...row } of rows) {
    const data = JSON.parse(row.data) as unknown;
    // A movement from a node whose clock was flagged when it arrived is judged
    // (late news or not) by the gateway's receive time, as the live projection does.
    if (flagged && row.type === MOVEMENT_TYPE && isRecord(data)) data.at = receivedAt;
    const entry: LedgerEntry = { ...row, data };
    projection.apply(entry);
  }
  // GTINs are put under the products that have them in the catalog now.
  return projection.rows(filter, skuOfGtin);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

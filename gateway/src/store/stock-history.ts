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

interface Row {
  chain: string;
  seq: number;
  ts: string;
  type: string;
  data: string;
  prev: string;
  hash: string;
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
      `SELECT chain, seq, ts, type, data, prev, hash FROM entries
       WHERE chain <> ? AND type IN (?, ?) AND received_at <= ?
       ORDER BY received_at, chain, seq`,
    )
    .iterate(GATEWAY_CHAIN, MOVEMENT_TYPE, COMMISSION_TYPE, asOf.toISOString());
  for (const row of rows) {
    const entry: LedgerEntry = { ...row, data: JSON.parse(row.data) as unknown };
    projection.apply(entry);
  }
  // GTINs are put under the products that have them in the catalog now.
  return projection.rows(filter, skuOfGtin);
}

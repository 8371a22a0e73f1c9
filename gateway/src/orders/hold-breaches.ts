import { type HoldBreachView, HoldBreachViewSchema } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { z } from "zod";
import { GATEWAY_CHAIN } from "../ledger/gateway-ledger.js";
import { ensureOrderTables } from "./tables.js";

const BREACHES_SHOWN = 50;

/** What the dashboard reads of an `order.hold-breach` entry's data. */
const BreachEntrySchema = z.object({
  order: z.string(),
  customer: z.string(),
  state: z.string(),
  items: z.number().int(),
  node: z.string(),
});

/**
 * The "goods left under credit hold" the gateway raised, newest first: each
 * is an `order.hold-breach` entry of the gateway ledger that the orders'
 * dock watch indexed in `order_breaches`, so a page opened after the live
 * alert still shows it.
 */
export class HoldBreaches {
  private readonly query;
  constructor(db: Database.Database) {
    ensureOrderTables(db);
    this.query = db.prepare<
      [string, number],
      { seq: number; at: string; data: string; name: string | null }
    >(
      `SELECT e.seq, e.ts AS at, e.data, c.name
         FROM order_breaches b
         JOIN entries e ON e.chain = ? AND e.seq = b.seq
         LEFT JOIN customers c ON c.id = json_extract(e.data, '$.customer')
        ORDER BY b.seq DESC LIMIT ?`,
    );
  }

  recent(): HoldBreachView[] {
    return this.query.all(GATEWAY_CHAIN, BREACHES_SHOWN).flatMap((row) => {
      const entry = BreachEntrySchema.safeParse(JSON.parse(row.data));
      if (!entry.success) return [];
      return [
        HoldBreachViewSchema.parse({
          seq: row.seq,
          at: row.at,
          customerName: row.name,
          ...entry.data,
        }),
      ];
    });
  }
}

import { type Clock, SkuSchema, ZoneSchema } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import { z } from "zod";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { prepared } from "./statements.js";

/** Largest single correction: beyond it, a typo (an extra zero) is more likely than a real gap. */
export const MAX_ADJUSTMENT = 1_000_000;

export const StockAdjustmentInputSchema = z.strictObject({
  sku: SkuSchema,
  zone: ZoneSchema.optional().describe(
    "where the count was checked (kept for the record: the book is per SKU)",
  ),
  delta: z
    .number()
    .int()
    .min(-MAX_ADJUSTMENT)
    .max(MAX_ADJUSTMENT)
    .refine((value) => value !== 0, "cannot be 0: an adjustment changes the book")
    .describe("added to book stock: counted − book closes a stock gap"),
  reason: z.string().trim().min(1, "say why the book is corrected").max(500),
});
export type StockAdjustmentInput = z.infer<typeof StockAdjustmentInputSchema>;

export const StockAdjustmentSchema = z.strictObject({
  id: z.number().int(),
  sku: z.string(),
  zone: z.string().nullable(),
  delta: z.number().int(),
  reason: z.string(),
  by: z.strictObject({ kind: z.enum(["token", "user", "system"]), id: z.string() }),
  at: z.string(),
  entry: z.number().int().describe("the gateway ledger entry (seq) that records it"),
});
export type StockAdjustment = z.infer<typeof StockAdjustmentSchema>;

/** The SKU named is known nowhere (HTTP 422); nothing was written. */
export class AdjustmentRuleError extends Error {
  override name = "AdjustmentRuleError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stock_adjustments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sku TEXT NOT NULL,
  zone TEXT,
  delta INTEGER NOT NULL CHECK (delta <> 0),
  reason TEXT NOT NULL,
  by_kind TEXT NOT NULL,
  by_id TEXT NOT NULL,
  at TEXT NOT NULL,
  entry INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS stock_adjustments_sku ON stock_adjustments (sku, id);
`;

/** Connections whose schema is known to be in place: book stock is read often. */
const ready = new WeakSet<Database>();

function ensureSchema(db: Database): void {
  if (ready.has(db)) return;
  db.exec(SCHEMA);
  ready.add(db);
}

interface Row {
  id: number;
  sku: string;
  zone: string | null;
  delta: number;
  reason: string;
  by_kind: Actor["kind"];
  by_id: string;
  at: string;
  entry: number;
}

/** The sum of the adjustments per SKU, which book stock adds to what the invoices say. */
export function adjustmentTotals(db: Database): Map<string, number> {
  ensureSchema(db);
  const rows = prepared<[], { sku: string; delta: number }>(
    db,
    "SELECT sku, SUM(delta) AS delta FROM stock_adjustments GROUP BY sku",
  ).all();
  return new Map(rows.map((row) => [row.sku, row.delta]));
}

/**
 * Corrections of book stock after a count: each one a delta with a reason
 * and who posted it, recorded as a `stock.adjusted` gateway ledger entry in
 * the same transaction as its row, so the book is never overwritten and
 * every change to it can be traced.
 */
export class StockAdjustments {
  constructor(
    private readonly db: Database,
    private readonly ledger: GatewayLedger,
    private readonly clock: Clock,
  ) {
    ensureSchema(db);
  }

  post(input: StockAdjustmentInput, actor: Actor): StockAdjustment {
    const adjustment = StockAdjustmentInputSchema.parse(input);
    const at = this.clock.now().toISOString();
    return this.db.transaction(() => {
      if (!this.known(adjustment.sku)) {
        throw new AdjustmentRuleError(
          `no product, stock row or invoice line knows SKU ${adjustment.sku} — check the SKU (GET /api/v1/reconciliation?side=stock lists the gaps)`,
          "sku",
        );
      }
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO stock_adjustments (sku, zone, delta, reason, by_kind, by_id, at, entry)
             VALUES (@sku, @zone, @delta, @reason, @kind, @by, @at, 0)`,
          )
          .run({
            sku: adjustment.sku,
            zone: adjustment.zone ?? null,
            delta: adjustment.delta,
            reason: adjustment.reason,
            kind: actor.kind,
            by: actor.id,
            at,
          }).lastInsertRowid,
      );
      const entry = this.ledger.record(
        "stock.adjusted",
        { adjustment: { id, ...adjustment, zone: adjustment.zone ?? null } },
        actor,
      );
      this.db.prepare("UPDATE stock_adjustments SET entry = ? WHERE id = ?").run(entry.seq, id);
      return this.get(id) as StockAdjustment;
    })();
  }

  /** Newest first; of one SKU when given. */
  list(filter: { sku?: string | undefined; limit: number }): StockAdjustment[] {
    return this.db
      .prepare<{ sku: string | null; limit: number }, Row>(
        `SELECT * FROM stock_adjustments WHERE @sku IS NULL OR sku = @sku ORDER BY id DESC LIMIT @limit`,
      )
      .all({ sku: filter.sku ?? null, limit: filter.limit })
      .map(toAdjustment);
  }

  private get(id: number): StockAdjustment | undefined {
    const row = this.db
      .prepare<[number], Row>("SELECT * FROM stock_adjustments WHERE id = ?")
      .get(id);
    return row ? toAdjustment(row) : undefined;
  }

  /** A SKU the catalog, the stock or an invoice line names: anything else is a typo that would open a new gap. */
  private known(sku: string): boolean {
    const found = this.db
      .prepare<[string, string, string, string], { hit: number }>(
        `SELECT 1 AS hit WHERE EXISTS (SELECT 1 FROM products WHERE sku = ?)
           OR EXISTS (SELECT 1 FROM stock WHERE sku = ?)
           OR EXISTS (SELECT 1 FROM invoice_lines WHERE sku = ?)
           OR EXISTS (SELECT 1 FROM stock_adjustments WHERE sku = ?)`,
      )
      .get(sku, sku, sku, sku);
    return found !== undefined;
  }
}

function toAdjustment(row: Row): StockAdjustment {
  return {
    id: row.id,
    sku: row.sku,
    zone: row.zone,
    delta: row.delta,
    reason: row.reason,
    by: { kind: row.by_kind, id: row.by_id },
    at: row.at,
    entry: row.entry,
  };
}

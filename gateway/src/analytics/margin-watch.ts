import {
  type AnalyticsAlertView,
  type Clock,
  type CostMethod,
  formatDecimalMoney,
  type MarginFloors,
  type MarginRowView,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { ValuationBook } from "../valuation/book.js";
import { marginRows } from "../valuation/margins.js";
import { type MarginLine, readMarginLines } from "../valuation/margins-sources.js";
import type { AnalyticsAlerts } from "./alerts.js";

const SCHEMA = `
-- How far the watch has looked: invoices by rowid and by last change, sales by synced.
CREATE TABLE IF NOT EXISTS margin_watch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  invoice_ref INTEGER NOT NULL,
  invoice_updated TEXT NOT NULL,
  sale_ref INTEGER NOT NULL
) STRICT;
-- Documents with a line costed before all its goods were seen leaving: looked at again until 'until'.
CREATE TABLE IF NOT EXISTS margin_watch_pending (
  source TEXT NOT NULL,
  ref INTEGER NOT NULL,
  until TEXT NOT NULL,
  PRIMARY KEY (source, ref)
) STRICT;
`;

export interface MarginWatchOptions {
  db: Database.Database;
  /** The site's valuation (ValuationService fits): its book and method. */
  valuation: { book(): ValuationBook; readonly method: CostMethod };
  alerts: AnalyticsAlerts;
  /** The floors in force (MarginFloorStore fits). */
  floors: { get(): MarginFloors };
  /** The site currency (CreditService.currency): documents in another are not looked at. */
  currency: string;
  clock: Clock;
  /**
   * How long, in hours, a document with a line costed without its goods
   * seen leaving (an invoice before the shipment, a sale whose movements
   * come in the next batch) is looked at again, so the alert follows the
   * real cost. Default 24.
   */
  settleHours?: number;
}

interface Mark {
  invoice_ref: number;
  invoice_updated: string;
  sale_ref: number;
}

/**
 * Margin alerts (issue 16): each customer invoice line and counter sale
 * line added since the last look is costed and checked against its floor;
 * one under cost raises `below-cost`, one under its floor `below-margin`,
 * subject `invoice:<number>:<line id>` or `sale:<id>:<line>`. Each fires
 * once: AnalyticsAlerts keeps one open alert per kind and subject, and the
 * mark of what was looked at is durable, so neither a second look nor a
 * restart raises it again. A line looked at again (its invoice changed, or
 * its cost settled) that is now fine clears its alert.
 *
 * History from before the watch first ran is not alerted: its first mark is
 * the store's state then.
 */
export class MarginWatch {
  readonly name = "margins";
  readonly on = "change";

  constructor(private readonly options: MarginWatchOptions) {
    options.db.exec(SCHEMA);
    // readMarginLines creates the invoice and sales tables when a store has none yet.
    readMarginLines(options.db, { currency: options.currency, invoiceRefs: [], saleRefs: [] });
    options.db
      .prepare(
        `INSERT OR IGNORE INTO margin_watch (id, invoice_ref, invoice_updated, sale_ref)
         VALUES (1, (SELECT COALESCE(MAX(rowid), 0) FROM invoices),
           (SELECT COALESCE(MAX(updated_at), '') FROM invoices),
           (SELECT COALESCE(MAX(synced), 0) FROM sales))`,
      )
      .run();
  }

  /** Looks at the lines added (or changed, or not settled) since the last look; returns the alerts raised or cleared. */
  check(): AnalyticsAlertView[] {
    const { db, clock } = this.options;
    const now = clock.now().toISOString();
    const mark = db.prepare<[], Mark>("SELECT * FROM margin_watch WHERE id = 1").get() as Mark;
    const invoices = db
      .prepare<[number, string], { ref: number; updated_at: string }>(
        `SELECT rowid AS ref, updated_at FROM invoices
         WHERE direction = 'customer' AND type = 'invoice' AND (rowid > ? OR updated_at > ?)`,
      )
      .all(mark.invoice_ref, mark.invoice_updated);
    const sales = db
      .prepare<[number], { ref: number }>("SELECT synced AS ref FROM sales WHERE synced > ?")
      .all(mark.sale_ref);
    db.prepare("DELETE FROM margin_watch_pending WHERE until <= ?").run(now);
    const pending = db
      .prepare<[], { source: string; ref: number }>("SELECT source, ref FROM margin_watch_pending")
      .all();
    const invoiceRefs = unique([
      ...invoices.map((row) => row.ref),
      ...pending.filter((row) => row.source === "invoice").map((row) => row.ref),
    ]);
    const saleRefs = unique([
      ...sales.map((row) => row.ref),
      ...pending.filter((row) => row.source === "sale").map((row) => row.ref),
    ]);
    const changed: AnalyticsAlertView[] = [];
    if (invoiceRefs.length > 0 || saleRefs.length > 0) {
      changed.push(...this.look(invoiceRefs, saleRefs, now));
    }
    db.prepare(
      "UPDATE margin_watch SET invoice_ref = ?, invoice_updated = ?, sale_ref = ? WHERE id = 1",
    ).run(
      invoices.reduce((max, row) => Math.max(max, row.ref), mark.invoice_ref),
      invoices.reduce(
        (max, row) => (row.updated_at > max ? row.updated_at : max),
        mark.invoice_updated,
      ),
      sales.reduce((max, row) => Math.max(max, row.ref), mark.sale_ref),
    );
    return changed;
  }

  private look(invoiceRefs: number[], saleRefs: number[], now: string): AnalyticsAlertView[] {
    const { db, valuation, alerts, floors, currency } = this.options;
    const lines = readMarginLines(db, { currency, invoiceRefs, saleRefs });
    if (lines.length === 0) return [];
    const rows = marginRows(lines, valuation.book(), valuation.method, floors.get());
    const changed: AnalyticsAlertView[] = [];
    const unsettled = new Set<string>();
    const looked = new Map<string, MarginLine>();
    for (const { line, row } of rows) {
      const doc = `${line.source}\u0000${line.ref}`;
      looked.set(doc, line);
      if (row.estimated) unsettled.add(doc);
      const subject = `${line.source}:${line.document}:${line.line}`;
      const kinds = ["below-cost", "below-margin"] as const;
      for (const kind of kinds) {
        if (kind === row.flag) continue;
        const cleared = alerts.clear(kind, subject);
        if (cleared) changed.push(cleared);
      }
      if (row.flag === "ok") continue;
      const raised = alerts.raise({
        kind: row.flag,
        subject,
        sku: row.sku,
        message: marginMessage(row, currency),
        detail: { ...row, method: valuation.method, currency },
      });
      if (raised) changed.push(raised);
    }
    const until = new Date(
      Date.parse(now) + (this.options.settleHours ?? 24) * 3_600_000,
    ).toISOString();
    const keep = db.prepare(
      "INSERT OR IGNORE INTO margin_watch_pending (source, ref, until) VALUES (?, ?, ?)",
    );
    const drop = db.prepare("DELETE FROM margin_watch_pending WHERE source = ? AND ref = ?");
    for (const [doc, line] of looked) {
      if (unsettled.has(doc)) keep.run(line.source, line.ref, until);
      else drop.run(line.source, line.ref);
    }
    return changed;
  }
}

/** "INV-000012 line 1: DRL-18V sold at 80.00 €, cost 82.00 € — 2.00 € under cost". */
export function marginMessage(row: MarginRowView, currency: string): string {
  const money = (amount: number) => {
    const text = formatDecimalMoney({ amount, currency });
    return currency === "EUR" ? `${text} €` : `${text} ${currency}`;
  };
  const where = `${row.source === "sale" ? "sale " : ""}${row.document} line ${row.line}`;
  const what = `${row.quantity === 1 ? "" : `${row.quantity} × `}${row.sku ?? "?"}`;
  const cogs = row.cogs ?? 0;
  const margin = row.margin ?? 0;
  const head = `${where}: ${what} sold at ${money(row.revenue)}, cost ${money(cogs)}`;
  const tail =
    row.flag === "below-cost"
      ? `${money(-margin)} under cost`
      : `margin ${(row.rate ?? 0).toFixed(1)} %, under the ${row.floor ?? 0} % floor`;
  const notes = [
    ...(row.estimated ? ["cost estimated: not every unit was seen leaving yet"] : []),
    ...(row.provisional ? ["provisional: a supplier invoice is still to come"] : []),
  ];
  return `${head} — ${tail}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

function unique(values: number[]): number[] {
  return [...new Set(values)];
}

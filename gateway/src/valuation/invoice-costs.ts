import type Database from "better-sqlite3";
import { RECEIVABLES_SCHEMA } from "../receivables/tables.js";
import { prepared } from "../store/prepared.js";
import { type LayerCost, layerKey } from "./book.js";

/**
 * Layer costs from supplier invoices (issue 16): the layer of product S
 * received under reference R costs Σ net amount ÷ Σ quantity over the lines
 * of product S of the supplier invoices (not credit notes) whose order or
 * despatch advice reference is R, in the site's currency.
 *
 * Which references changed is fed by triggers into a table of our own, so
 * a new or changed invoice costs a look at its references, not a rescan of
 * every supplier invoice (a hundred thousand lines) on each read.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS valuation_invoice_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ref TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS valuation_invoice_inserted AFTER INSERT ON invoices
WHEN NEW.direction = 'supplier' BEGIN
  INSERT INTO valuation_invoice_changes (ref) SELECT NEW.order_ref WHERE NEW.order_ref IS NOT NULL;
  INSERT INTO valuation_invoice_changes (ref) SELECT NEW.despatch_ref WHERE NEW.despatch_ref IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS valuation_invoice_updated AFTER UPDATE ON invoices
WHEN NEW.direction = 'supplier' OR OLD.direction = 'supplier' BEGIN
  INSERT INTO valuation_invoice_changes (ref) SELECT OLD.order_ref WHERE OLD.order_ref IS NOT NULL;
  INSERT INTO valuation_invoice_changes (ref) SELECT OLD.despatch_ref WHERE OLD.despatch_ref IS NOT NULL;
  INSERT INTO valuation_invoice_changes (ref) SELECT NEW.order_ref WHERE NEW.order_ref IS NOT NULL;
  INSERT INTO valuation_invoice_changes (ref) SELECT NEW.despatch_ref WHERE NEW.despatch_ref IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS valuation_invoice_deleted AFTER DELETE ON invoices
WHEN OLD.direction = 'supplier' BEGIN
  INSERT INTO valuation_invoice_changes (ref) SELECT OLD.order_ref WHERE OLD.order_ref IS NOT NULL;
  INSERT INTO valuation_invoice_changes (ref) SELECT OLD.despatch_ref WHERE OLD.despatch_ref IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS valuation_invoice_line_inserted AFTER INSERT ON invoice_lines
WHEN NEW.direction = 'supplier' BEGIN
  INSERT INTO valuation_invoice_changes (ref)
    SELECT ref FROM (SELECT order_ref AS ref FROM invoices WHERE direction = 'supplier' AND seller = NEW.seller AND number = NEW.number
                     UNION SELECT despatch_ref FROM invoices WHERE direction = 'supplier' AND seller = NEW.seller AND number = NEW.number)
    WHERE ref IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS valuation_invoice_line_deleted AFTER DELETE ON invoice_lines
WHEN OLD.direction = 'supplier' BEGIN
  INSERT INTO valuation_invoice_changes (ref)
    SELECT ref FROM (SELECT order_ref AS ref FROM invoices WHERE direction = 'supplier' AND seller = OLD.seller AND number = OLD.number
                     UNION SELECT despatch_ref FROM invoices WHERE direction = 'supplier' AND seller = OLD.seller AND number = OLD.number)
    WHERE ref IS NOT NULL;
END;
`;

/** The supplier invoices of a reference (or of all), one row per invoice, each with the reference it is matched by. */
function invoicesOf(filter: string): string {
  return `SELECT seller, number, order_ref AS ref, currency FROM invoices
            WHERE direction = 'supplier' AND type = 'invoice' AND order_ref IS NOT NULL ${filter.replaceAll("$ref", "order_ref")}
          UNION
          SELECT seller, number, despatch_ref, currency FROM invoices
            WHERE direction = 'supplier' AND type = 'invoice' AND despatch_ref IS NOT NULL ${filter.replaceAll("$ref", "despatch_ref")}`;
}

function costsSql(filter: string): string {
  return `SELECT r.ref AS ref,
      COALESCE(l.sku, (SELECT pg.sku FROM product_gtins pg WHERE pg.gtin = l.gtin)) AS sku,
      SUM(l.net_amount) AS net, SUM(l.quantity) AS quantity, group_concat(DISTINCT r.number) AS numbers
    FROM (${invoicesOf(filter)}) r
    JOIN invoice_lines l ON l.direction = 'supplier' AND l.seller = r.seller AND l.number = r.number
    WHERE r.currency = @currency
    GROUP BY 1, 2 HAVING sku IS NOT NULL`;
}

interface CostRow {
  ref: string;
  sku: string;
  net: number;
  quantity: number;
  numbers: string;
}

export interface InvoiceCost {
  key: string;
  cost: LayerCost;
}

/** Supplier invoice costs and the references whose invoices changed. */
export class InvoiceCosts {
  private lastChange = 0;
  /** The keys each reference costs now, to put back at the catalog cost a key its invoices no longer cost. */
  private readonly keysOf = new Map<string, Set<string>>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    private readonly currency: string,
    private readonly warn: (message: string, detail: object) => void,
  ) {
    db.exec(RECEIVABLES_SCHEMA);
    db.exec(SCHEMA);
  }

  /** Every supplier invoice's costs (a full build); later calls to `changed` start from here. */
  all(): InvoiceCost[] {
    this.lastChange =
      prepared<[], { id: number | null }>(
        this.db,
        "SELECT MAX(id) AS id FROM valuation_invoice_changes",
      ).get()?.id ?? 0;
    this.keysOf.clear();
    this.warnForeign(undefined);
    const rows = prepared<[{ currency: string }], CostRow>(this.db, costsSql("")).all({
      currency: this.currency,
    });
    return this.costs(rows);
  }

  /**
   * The costs of the references whose supplier invoices changed since the
   * last call; `revert` is given the keys a reference no longer costs.
   */
  changed(revert: (key: string) => void): InvoiceCost[] {
    const changes = prepared<[number], { id: number; ref: string }>(
      this.db,
      "SELECT id, ref FROM valuation_invoice_changes WHERE id > ? ORDER BY id",
    ).all(this.lastChange);
    if (changes.length === 0) return [];
    this.lastChange = (changes[changes.length - 1] as { id: number }).id;
    const refs = [...new Set(changes.map((c) => c.ref))];
    const of = prepared<[{ currency: string; ref: string }], CostRow>(
      this.db,
      costsSql("AND $ref = @ref"),
    );
    const out: InvoiceCost[] = [];
    for (const ref of refs) {
      const before = this.keysOf.get(ref) ?? new Set<string>();
      this.keysOf.delete(ref);
      this.warnForeign(ref);
      const costs = this.costs(of.all({ currency: this.currency, ref }));
      const now = this.keysOf.get(ref) ?? new Set<string>();
      for (const key of before) if (!now.has(key)) revert(key);
      out.push(...costs);
    }
    return out;
  }

  private costs(rows: CostRow[]): InvoiceCost[] {
    const out: InvoiceCost[] = [];
    for (const row of rows) {
      if (!(row.quantity > 0)) continue;
      const key = layerKey(row.sku, row.ref);
      let keys = this.keysOf.get(row.ref);
      if (!keys) {
        keys = new Set();
        this.keysOf.set(row.ref, keys);
      }
      keys.add(key);
      out.push({
        key,
        cost: {
          unitCost: Math.round(row.net / row.quantity),
          provisional: false,
          invoice: row.numbers.split(",").sort().join(", "),
        },
      });
    }
    return out;
  }

  /** Invoices in another currency set no cost: their layers stay at the catalog cost, said once per invoice. */
  private warnForeign(ref: string | undefined): void {
    const filter = ref === undefined ? "" : "AND $ref = @ref";
    const rows = prepared<
      [{ currency: string; ref?: string }],
      { number: string; currency: string; ref: string }
    >(
      this.db,
      `SELECT number, currency, ref FROM (${invoicesOf(filter)}) WHERE currency <> @currency`,
    ).all({ currency: this.currency, ...(ref === undefined ? {} : { ref }) });
    for (const row of rows) {
      if (this.warned.has(row.number)) continue;
      this.warned.add(row.number);
      this.warn(
        `supplier invoice ${row.number} (reference ${row.ref}) is in ${row.currency}, not the site's ${this.currency}: it sets no layer cost, so those units stay at the catalog cost (provisional) — record the invoice in ${this.currency} to value them`,
        { invoice: row.number, ref: row.ref, currency: row.currency },
      );
    }
  }
}

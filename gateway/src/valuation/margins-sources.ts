import type Database from "better-sqlite3";
import { z } from "zod";
import { createCatalogTables } from "../catalog/store.js";
import { RECEIVABLES_SCHEMA } from "../receivables/tables.js";
import { prepared } from "../store/prepared.js";
import { SALES_SCHEMA } from "../store/schema.js";

/** One line that earned revenue: a customer invoice line or a counter sale line. */
export interface MarginLine {
  source: "invoice" | "sale";
  /** The invoice number, or the sale id. */
  document: string;
  /** The invoice line id (BT-126), or the sale line's index from 1. */
  line: string;
  /** The line's place in its document, from 1. */
  position: number;
  /** The order the goods left under: the invoice's BT-13, or the sale id. */
  order: string | null;
  customer: string | null;
  /** The catalog product: the line's SKU when the catalog has it, else the product of its GTIN; null: unknown. */
  sku: string | null;
  /** What the line itself names (its SKU, else its GTIN), shown when the product is unknown. */
  given: string | null;
  category: string | null;
  name: string | null;
  /** The invoice's issue date, or the sale's time. */
  date: string;
  quantity: number;
  /** Minor units: the line's net amount, or the sale line's total. */
  revenue: number;
  /** false: read only so that the lines asked for share their order's exits with the lines billed before them. */
  selected: boolean;
  /** invoices.rowid or sales.synced: the watch's mark. */
  ref: number;
}

/** Which lines to read; every field narrows. */
export interface LineSelection {
  /** Only documents in this currency (the site's): amounts of two currencies are never added. */
  currency: string;
  /** YYYY-MM-DD, inclusive: the invoice's issue date, the sale's day (UTC). */
  from?: string;
  to?: string;
  source?: "invoice" | "sale";
  customer?: string;
  order?: string;
  /** Only these invoices (rowid) / sales (synced). */
  invoiceRefs?: readonly number[];
  saleRefs?: readonly number[];
}

interface InvoiceLineRow {
  ref: number;
  number: string;
  order_ref: string | null;
  customer: string | null;
  issue_date: string;
  line: number;
  id: string;
  sku: string | null;
  gtin: string | null;
  name: string | null;
  quantity: number;
  net_amount: number;
  selected: number;
}

interface SaleRow {
  ref: number;
  id: string;
  customer: string | null;
  at: string;
  data: string;
}

/** What margins read of a stored sale entry: loose, so fields added to sales later do not hide them. */
const StoredSaleLines = z.object({
  lines: z.array(
    z.object({
      sku: z.string(),
      gtin: z.string().optional(),
      name: z.string().optional(),
      quantity: z.number(),
      lineTotal: z.number().int(),
    }),
  ),
});

interface ProductRef {
  sku: string;
  name: string;
  category: string | null;
}

const param = (refs: readonly number[] | undefined) =>
  refs === undefined ? null : JSON.stringify(refs);

/**
 * Reads the lines margins are computed on. Invoice lines come grouped by
 * order, each order's invoices by issue date then arrival, so that the
 * lines of an order that bill the same product take its exits in that
 * order. An invoice whose order is a counter sale's id bills that sale: its
 * margin is the sale's, so it is left out rather than counted twice.
 */
export function readMarginLines(db: Database.Database, selection: LineSelection): MarginLine[] {
  ensureTables(db);
  const products = productResolver(db);
  const out: MarginLine[] = [];
  // Given refs of one kind only, the other kind is not read at all.
  const explicit = selection.invoiceRefs !== undefined || selection.saleRefs !== undefined;
  if (selection.source !== "sale" && (!explicit || selection.invoiceRefs !== undefined)) {
    out.push(...invoiceLines(db, selection, products));
  }
  if (selection.source !== "invoice" && (!explicit || selection.saleRefs !== undefined)) {
    out.push(...saleLines(db, selection, products));
  }
  return out;
}

function ensureTables(db: Database.Database): void {
  db.exec(RECEIVABLES_SCHEMA);
  db.exec(SALES_SCHEMA);
  createCatalogTables(db);
}

function invoiceLines(
  db: Database.Database,
  selection: LineSelection,
  products: (sku: string | null, gtin: string | null) => ProductRef | undefined,
): MarginLine[] {
  // In three steps, each on an index: the invoices asked for, the other invoices of their
  // orders, then the lines of both (one query with an OR over them scanned every line).
  const picked = prepared<unknown[], { ref: number; order_ref: string | null }>(
    db,
    `SELECT i.rowid AS ref, i.order_ref FROM invoices i
     WHERE i.direction = 'customer' AND i.type = 'invoice' AND i.currency = @currency
       AND (@from IS NULL OR i.issue_date >= @from) AND (@to IS NULL OR i.issue_date <= @to)
       AND (@customer IS NULL OR i.customer = @customer)
       AND (@order IS NULL OR i.order_ref = @order)
       AND (@refs IS NULL OR i.rowid IN (SELECT value FROM json_each(@refs)))
       AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = i.order_ref)`,
  ).all({
    currency: selection.currency,
    from: selection.from ?? null,
    to: selection.to ?? null,
    customer: selection.customer ?? null,
    order: selection.order ?? null,
    refs: param(selection.invoiceRefs),
  });
  if (picked.length === 0) return [];
  const selected = new Set(picked.map((row) => row.ref));
  const orders = [
    ...new Set(picked.flatMap((row) => (row.order_ref === null ? [] : [row.order_ref]))),
  ];
  const related = prepared<[string, string], { ref: number }>(
    db,
    `SELECT i.rowid AS ref FROM invoices i
     WHERE i.order_ref IN (SELECT value FROM json_each(?))
       AND i.direction = 'customer' AND i.type = 'invoice' AND i.currency = ?`,
  ).all(JSON.stringify(orders), selection.currency);
  const refs = new Set([...selected, ...related.map((row) => row.ref)]);
  const rows = prepared<[string], Omit<InvoiceLineRow, "selected">>(
    db,
    `SELECT i.rowid AS ref, i.number, i.order_ref, i.customer, i.issue_date, l.line, l.id, l.sku,
       l.gtin, l.name, l.quantity, l.net_amount
     FROM invoices i JOIN invoice_lines l
       ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
     WHERE i.rowid IN (SELECT value FROM json_each(?))
     ORDER BY i.order_ref, i.issue_date, i.rowid, l.line`,
  )
    .all(JSON.stringify([...refs]))
    .map((row) => ({ ...row, selected: selected.has(row.ref) ? 1 : 0 }));
  return rows.map((row) => {
    const product = products(row.sku, row.gtin);
    return {
      source: "invoice",
      document: row.number,
      line: row.id,
      position: row.line,
      order: row.order_ref,
      customer: row.customer,
      sku: product?.sku ?? null,
      given: row.sku ?? row.gtin,
      category: product?.category ?? null,
      name: row.name ?? product?.name ?? null,
      date: row.issue_date,
      quantity: row.quantity,
      revenue: row.net_amount,
      selected: row.selected === 1,
      ref: row.ref,
    };
  });
}

function saleLines(
  db: Database.Database,
  selection: LineSelection,
  products: (sku: string | null, gtin: string | null) => ProductRef | undefined,
): MarginLine[] {
  const rows = prepared<unknown[], SaleRow>(
    db,
    `SELECT s.synced AS ref, s.id, s.customer, s.at, e.data
     FROM sales s JOIN entries e ON e.chain = s.chain AND e.seq = s.seq
     WHERE s.currency = @currency
       AND (@from IS NULL OR substr(s.at, 1, 10) >= @from) AND (@to IS NULL OR substr(s.at, 1, 10) <= @to)
       AND (@customer IS NULL OR s.customer = @customer)
       AND (@order IS NULL OR s.id = @order)
       AND (@refs IS NULL OR s.synced IN (SELECT value FROM json_each(@refs)))
     ORDER BY s.at, s.synced`,
  ).all({
    currency: selection.currency,
    from: selection.from ?? null,
    to: selection.to ?? null,
    customer: selection.customer ?? null,
    order: selection.order ?? null,
    refs: param(selection.saleRefs),
  });
  const out: MarginLine[] = [];
  for (const row of rows) {
    const parsed = StoredSaleLines.safeParse(JSON.parse(row.data));
    // The node checked the sale before signing it; a shape this cannot read has nothing to cost.
    if (!parsed.success) continue;
    parsed.data.lines.forEach((line, index) => {
      const product = products(line.sku, line.gtin ?? null);
      out.push({
        source: "sale",
        document: row.id,
        line: String(index + 1),
        position: index + 1,
        order: row.id,
        customer: row.customer,
        sku: product?.sku ?? null,
        given: line.sku,
        category: product?.category ?? null,
        name: line.name || product?.name || null,
        date: row.at,
        quantity: line.quantity,
        revenue: line.lineTotal,
        selected: true,
        ref: row.ref,
      });
    });
  }
  return out;
}

/** The catalog product a line names, by its SKU, else by its GTIN; looked up once per read. */
function productResolver(db: Database.Database) {
  const seen = new Map<string, ProductRef | undefined>();
  const bySku = prepared<[string], ProductRef>(
    db,
    "SELECT sku, name, category FROM products WHERE sku = ?",
  );
  const byGtin = prepared<[string], ProductRef>(
    db,
    "SELECT p.sku, p.name, p.category FROM product_gtins g JOIN products p ON p.sku = g.sku WHERE g.gtin = ?",
  );
  return (sku: string | null, gtin: string | null): ProductRef | undefined => {
    const key = `${sku ?? ""}\u0000${gtin ?? ""}`;
    if (seen.has(key)) return seen.get(key);
    const found =
      (sku === null ? undefined : bySku.get(sku)) ?? (gtin === null ? undefined : byGtin.get(gtin));
    seen.set(key, found);
    return found;
  };
}

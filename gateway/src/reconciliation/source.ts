import type { Database } from "better-sqlite3";
import type { BilledLine, ObservedItem } from "./types.js";

/** Which goods and invoices a reconciliation looks at. Dates are YYYY-MM-DD, inclusive. */
export interface ReconciliationFilter {
  customer?: string;
  order?: string;
  from?: string;
  to?: string;
}

interface MovementJoinRow {
  chain: string;
  epc: string;
  sku: string | null;
  at: string;
  data: string;
}

interface MovementEvidence {
  gtin?: string;
  order?: string;
  customer?: string;
  reader?: string;
  antennas?: number[];
}

interface LineRow {
  number: string;
  type: "invoice" | "credit-note";
  order_ref: string | null;
  customer: string | null;
  supplier: string | null;
  issue_date: string;
  sku: string | null;
  gtin: string | null;
  quantity: number | null;
  unit_price: number | null;
}

/**
 * Reads what reconciliation matches, from the gateway's store: the
 * movements of kind ship (sales) or receive (purchases) with their
 * evidence from the stored entry (the SKU as the store resolved it, so a
 * tag commissioned after its read still counts), and the invoice lines of
 * the same direction. With a period, goods read in it are matched against
 * invoices issued in it plus any invoice of the orders those goods belong
 * to, so that an order shipped on the 31st and invoiced on the 2nd is not
 * a gap.
 */
export function loadReconciliation(
  db: Database,
  side: "sales" | "purchases",
  filter: ReconciliationFilter,
): {
  observed: ObservedItem[];
  lines: BilledLine[];
  lineless: { invoice: string; orderRef?: string; party?: string }[];
} {
  const kind = side === "sales" ? "ship" : "receive";
  const direction = side === "sales" ? "customer" : "supplier";
  const params = {
    kind,
    customer: filter.customer ?? null,
    order: filter.order ?? null,
    from: filter.from ? `${filter.from}T00:00:00.000Z` : null,
    to: filter.to ? `${filter.to}T23:59:59.999Z` : null,
  };
  const observed: ObservedItem[] = [];
  const rows = db
    .prepare<typeof params, MovementJoinRow>(
      `SELECT m.chain, m.epc, m.sku, m.at, e.data FROM movements m
       JOIN entries e ON e.chain = m.chain AND e.seq = m.seq
       WHERE m.kind = @kind AND (@from IS NULL OR m.at >= @from) AND (@to IS NULL OR m.at <= @to)
         AND (@customer IS NULL OR json_extract(e.data, '$.customer') = @customer)
         AND (@order IS NULL OR json_extract(e.data, '$.order') = @order)
       ORDER BY m.at, m.chain, m.seq`,
    )
    .iterate(params);
  for (const row of rows) {
    const data = JSON.parse(row.data) as MovementEvidence;
    observed.push({
      epc: row.epc,
      sku: row.sku,
      ...(data.gtin ? { gtin: data.gtin } : {}),
      ...(data.order ? { order: data.order } : {}),
      ...(data.customer ? { customer: data.customer } : {}),
      node: row.chain,
      reader: data.reader ?? "",
      antennas: data.antennas ?? [],
      at: row.at,
    });
  }

  const orders = [...new Set(observed.map((item) => item.order).filter((o): o is string => !!o))];
  const lineParams = {
    direction,
    customer: filter.customer ?? null,
    order: filter.order ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    orders: JSON.stringify(orders),
  };
  const lineRows = db
    .prepare<typeof lineParams, LineRow>(
      `SELECT i.number, i.type, i.order_ref, i.customer, i.supplier, i.issue_date,
              l.sku, l.gtin, l.quantity, l.unit_price
       FROM invoices i LEFT JOIN invoice_lines l
         ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
       WHERE i.direction = @direction
         AND (@customer IS NULL OR i.customer = @customer)
         AND (@order IS NULL OR i.order_ref = @order)
         AND (((@from IS NULL OR i.issue_date >= @from) AND (@to IS NULL OR i.issue_date <= @to))
              OR i.order_ref IN (SELECT value FROM json_each(@orders)))
       ORDER BY i.issue_date, i.number, l.line`,
    )
    .all(lineParams);
  const lines: BilledLine[] = [];
  const lineless: { invoice: string; orderRef?: string; party?: string }[] = [];
  for (const row of lineRows) {
    const party = (side === "sales" ? row.customer : row.supplier) ?? undefined;
    if (row.quantity === null) {
      lineless.push({
        invoice: row.number,
        ...(row.order_ref ? { orderRef: row.order_ref } : {}),
        ...(party ? { party } : {}),
      });
      continue;
    }
    lines.push({
      invoice: row.number,
      type: row.type,
      ...(row.order_ref ? { orderRef: row.order_ref } : {}),
      ...(row.customer ? { customer: row.customer } : {}),
      ...(row.supplier ? { supplier: row.supplier } : {}),
      issueDate: row.issue_date,
      ...(row.sku ? { sku: row.sku } : {}),
      ...(row.gtin ? { gtin: row.gtin } : {}),
      quantity: row.quantity,
      unitPrice: row.unit_price ?? 0,
    });
  }
  return { observed, lines, lineless };
}

/**
 * Book stock per SKU: received goods less shipped goods as the invoices say
 * (supplier invoice quantities − customer invoice quantities, credit notes
 * counting back).
 */
export function bookStock(
  db: Database,
  skuOfGtin: (gtin: string) => string | undefined,
): Map<string, number> {
  const rows = db
    .prepare<
      [],
      { direction: string; type: string; sku: string | null; gtin: string | null; quantity: number }
    >(
      `SELECT i.direction, i.type, l.sku, l.gtin, SUM(l.quantity) AS quantity
       FROM invoice_lines l JOIN invoices i
         ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
       GROUP BY i.direction, i.type, l.sku, l.gtin`,
    )
    .all();
  const book = new Map<string, number>();
  for (const row of rows) {
    const sku = row.sku ?? (row.gtin ? skuOfGtin(row.gtin) : undefined);
    if (!sku) continue;
    const sign = (row.direction === "supplier" ? 1 : -1) * (row.type === "credit-note" ? -1 : 1);
    book.set(sku, (book.get(sku) ?? 0) + sign * row.quantity);
  }
  return book;
}

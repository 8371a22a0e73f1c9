import type { Database } from "better-sqlite3";
import { adjustmentTotals } from "./adjustments.js";
import type { Lineless } from "./match.js";
import { prepared } from "./statements.js";
import type { BilledLine, ObservedGroup, ObservedItem } from "./types.js";

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
  gtin: string | null;
  order_ref: string | null;
  customer: string | null;
  reader: string | null;
  antennas: string | null;
}

interface GroupRow {
  order_ref: string | null;
  customer: string | null;
  sku: string | null;
  gtin: string | null;
  count: number;
  first_at: string;
}

interface LineRow {
  number: string;
  type: "invoice" | "credit-note";
  order_ref: string | null;
  despatch_ref: string | null;
  customer: string | null;
  supplier: string | null;
  issue_date: string;
  sku: string | null;
  gtin: string | null;
  quantity: number | null;
  unit_price: number | null;
}

/** Only the conditions the filter uses, so that SQLite picks the order or customer index. */
function goodsWhere(filter: ReconciliationFilter): string {
  // "+kind": with an order or a customer, their index is the selective one, not (kind, at).
  const conditions = [filter.order || filter.customer ? "+kind = @kind" : "kind = @kind"];
  if (filter.order) conditions.push("order_ref = @order");
  // "+customer": with an order too, the order's index is the selective one.
  if (filter.customer)
    conditions.push(filter.order ? "+customer = @customer" : "customer = @customer");
  if (filter.from) conditions.push("at >= @from");
  if (filter.to) conditions.push("at <= @to");
  return conditions.join(" AND ");
}

/**
 * Purchases: a receipt may name the supplier's despatch advice (BT-16)
 * instead of the order, so an order filter or an order seen in the goods
 * finds invoices by either reference (both indexed).
 */
function linesWhere(filter: ReconciliationFilter, side: "sales" | "purchases"): string {
  const byRef = (value: string) =>
    side === "purchases"
      ? `(i.order_ref ${value} OR i.despatch_ref ${value})`
      : `i.order_ref ${value}`;
  // "+direction": with an order, the OR of the two reference indexes is the selective path.
  const conditions = [filter.order ? "+i.direction = @direction" : "i.direction = @direction"];
  if (filter.order) conditions.push(byRef("= @order"));
  if (filter.customer) conditions.push("i.customer = @customer");
  if (filter.from || filter.to) {
    const period = [
      filter.from ? "i.issue_date >= @from" : "",
      filter.to ? "i.issue_date <= @to" : "",
    ]
      .filter(Boolean)
      .join(" AND ");
    conditions.push(`((${period}) OR ${byRef("IN (SELECT value FROM json_each(@orders))")})`);
  }
  return conditions.join(" AND ");
}

/**
 * Reads what reconciliation matches, from the gateway's store: the
 * movements of kind ship (sales) or receive (purchases) with their
 * evidence (from `reconciliation_goods`: call `GoodsProjection.catchUp()`
 * first), the SKU a tag commissioned after its read has now, and the
 * invoice lines of the same direction. With a period, goods read in it are matched against
 * invoices issued in it plus any invoice of the orders those goods belong
 * to, so that an order shipped on the 31st and invoiced on the 2nd is not
 * a gap.
 */
export function loadReconciliation(
  db: Database,
  side: "sales" | "purchases",
  filter: ReconciliationFilter,
): {
  goods: { groups: ObservedGroup[]; evidenceOf: (group: ObservedGroup) => ObservedItem[] };
  lines: BilledLine[];
  lineless: Lineless[];
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
  const groups = observedGroups(db, goodsWhere(filter), params);
  // The SKU a tag read before it was commissioned has now.
  const SKU = "COALESCE(sku, (SELECT t.sku FROM tags t WHERE t.epc = g.epc))";
  const reads = prepared<typeof params, MovementJoinRow>(
    db,
    `SELECT chain, epc, ${SKU} AS sku, at, gtin, order_ref, customer, reader, antennas
     FROM reconciliation_goods g WHERE ${goodsWhere(filter)} ORDER BY at, chain, seq`,
  );
  const evidenceOf = (group: ObservedGroup): ObservedItem[] => {
    const narrowed = {
      ...filter,
      ...(group.order ? { order: group.order } : {}),
      ...(group.customer ? { customer: group.customer } : {}),
    };
    const statement =
      group.order || group.customer
        ? prepared<typeof params, MovementJoinRow>(
            db,
            `SELECT chain, epc, ${SKU} AS sku, at, gtin, order_ref, customer, reader, antennas
       FROM reconciliation_goods g WHERE ${goodsWhere(narrowed)} ORDER BY at, chain, seq`,
          )
        : reads;
    return statement
      .all({ ...params, order: narrowed.order ?? null, customer: narrowed.customer ?? null })
      .filter(
        (row) =>
          (row.order_ref ?? undefined) === group.order &&
          (row.customer ?? undefined) === group.customer &&
          row.sku === group.sku &&
          (row.gtin ?? undefined) === group.gtin,
      )
      .map((row) => ({
        epc: row.epc,
        sku: row.sku,
        ...(row.gtin ? { gtin: row.gtin } : {}),
        ...(row.order_ref ? { order: row.order_ref } : {}),
        ...(row.customer ? { customer: row.customer } : {}),
        node: row.chain,
        reader: row.reader ?? "",
        antennas: row.antennas ? (JSON.parse(row.antennas) as number[]) : [],
        at: row.at,
      }));
  };

  // The orders seen matter only with a period (their invoices may fall outside it).
  const orders =
    filter.from || filter.to
      ? [...new Set(groups.map((group) => group.order).filter((o): o is string => !!o))]
      : [];
  const lineParams = {
    direction,
    customer: filter.customer ?? null,
    order: filter.order ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    orders: JSON.stringify(orders),
  };
  // No ORDER BY: sorting every line costs more than the matching; which
  // invoice's price counts is decided there, whatever the order.
  const lineRows = prepared<typeof lineParams, LineRow>(
    db,
    `SELECT i.number, i.type, i.order_ref, i.despatch_ref, i.customer, i.supplier, i.issue_date,
              l.sku, l.gtin, l.quantity, l.unit_price
       FROM invoices i LEFT JOIN invoice_lines l
         ON l.direction = i.direction AND l.seller = i.seller AND l.number = i.number
       WHERE ${linesWhere(filter, side)}`,
  ).all(lineParams);
  const lines: BilledLine[] = [];
  const lineless: Lineless[] = [];
  for (const row of lineRows) {
    const party = side === "sales" ? row.customer : row.supplier;
    if (row.quantity === null) {
      const item: Lineless = { invoice: row.number };
      if (row.order_ref) item.orderRef = row.order_ref;
      if (row.despatch_ref) item.despatchRef = row.despatch_ref;
      if (party) item.party = party;
      lineless.push(item);
      continue;
    }
    const line: BilledLine = {
      invoice: row.number,
      type: row.type,
      issueDate: row.issue_date,
      quantity: row.quantity,
      unitPrice: row.unit_price ?? 0,
    };
    if (row.order_ref) line.orderRef = row.order_ref;
    if (row.despatch_ref) line.despatchRef = row.despatch_ref;
    if (row.customer) line.customer = row.customer;
    if (row.supplier) line.supplier = row.supplier;
    if (row.sku) line.sku = row.sku;
    if (row.gtin) line.gtin = row.gtin;
    lines.push(line);
  }
  return { goods: { groups, evidenceOf }, lines, lineless };
}

/**
 * Goods counted per order, customer and item in SQL; the reads of a group
 * are fetched only when it is a discrepancy. Items whose movement named
 * their SKU are grouped along the (kind, order, customer, sku, gtin) index
 * without sorting; the rare ones read before their tag was commissioned
 * take the SKU the tag has now, then join the group of that SKU.
 */
function observedGroups(
  db: Database,
  where: string,
  params: Record<string, string | null>,
): ObservedGroup[] {
  const named = prepared<typeof params, GroupRow>(
    db,
    `SELECT order_ref, customer, sku, gtin, COUNT(*) AS count, MIN(at) AS first_at
       FROM reconciliation_goods g WHERE ${where} AND sku IS NOT NULL
       GROUP BY order_ref, customer, sku, gtin`,
  ).all(params);
  const unnamed = prepared<typeof params, GroupRow>(
    db,
    `SELECT order_ref, customer, (SELECT t.sku FROM tags t WHERE t.epc = g.epc) AS sku, gtin,
              COUNT(*) AS count, MIN(at) AS first_at
       FROM reconciliation_goods g INDEXED BY reconciliation_goods_unnamed WHERE ${where} AND sku IS NULL
       GROUP BY order_ref, customer, 3, gtin`,
  ).all(params);
  const groups = named.map(toGroup);
  if (unnamed.length === 0) return groups;
  // Merge each late-named group into the group of the SKU its tag has now.
  const byKey = new Map(groups.map((group) => [groupKey(group), group]));
  for (const row of unnamed) {
    const group = toGroup(row);
    const known = byKey.get(groupKey(group));
    if (!known) {
      byKey.set(groupKey(group), group);
      continue;
    }
    known.count += group.count;
    if (group.firstAt < known.firstAt) known.firstAt = group.firstAt;
  }
  return [...byKey.values()];
}

function toGroup(row: GroupRow): ObservedGroup {
  const group: ObservedGroup = { sku: row.sku, count: row.count, firstAt: row.first_at };
  if (row.order_ref) group.order = row.order_ref;
  if (row.customer) group.customer = row.customer;
  if (row.gtin) group.gtin = row.gtin;
  return group;
}

function groupKey(group: ObservedGroup): string {
  return [group.order, group.customer, group.sku, group.gtin].join("\u0000");
}

/**
 * Book stock per SKU: received goods less shipped goods as the invoices say
 * (supplier invoice quantities − customer invoice quantities, credit notes
 * counting back), plus the adjustments posted after counts (see
 * adjustments.ts), so that a gap once posted is no longer a gap.
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
  for (const [sku, delta] of adjustmentTotals(db)) book.set(sku, (book.get(sku) ?? 0) + delta);
  return book;
}

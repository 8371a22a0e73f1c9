import type { CostMethod, MarginFloors, MarginListView, MarginRowView } from "@comptoir/contracts";
import { floorOf } from "../analytics/margin-floors.js";
import type { UnitExit, ValuationBook } from "./book.js";
import type { MarginLine } from "./margins-sources.js";

/** What a line's goods cost, by the method asked. */
export interface LineCost {
  /** Minor units; null: unknown product, nothing to cost. */
  cogs: number | null;
  /** Some units were costed without having been seen leaving: at the product's next unit cost. */
  estimated: boolean;
  /** Some cost used is still the catalog's, waiting for its supplier invoice. */
  provisional: boolean;
}

/** The exits of one order and product, and how many lines before took already. */
interface Pool {
  exits: UnitExit[];
  next: number;
}

/**
 * Costs each line with the units that left for its order (the invoice's
 * order, or the sale) and product: shipments for an invoice, counter sales
 * for a sale. Lines are costed in the order given, and the lines of one
 * order that bill the same product share its exits in that order: the
 * first takes the earliest `quantity` units, the next the units after them
 * (two invoices of one order, or one product on two lines, are not costed
 * twice with the same units). Units billed beyond those seen leaving are
 * costed at the product's next unit cost (`nextUnitCost`) and the line is
 * `estimated`. A fractional quantity (goods by weight) takes that share of
 * its last unit's cost.
 */
export function costLines(
  lines: readonly MarginLine[],
  book: ValuationBook,
  method: CostMethod,
): LineCost[] {
  const pools = exitPools(lines, book);
  return lines.map((line) => {
    if (line.sku === null) return { cogs: null, estimated: false, provisional: false };
    const pool =
      line.order === null ? undefined : pools.get(poolKey(exitKindOf(line), line.order, line.sku));
    return costOne(line.quantity, line.sku, pool, book, method);
  });
}

const exitKindOf = (line: MarginLine) => (line.source === "invoice" ? "ship" : "sale");
const poolKey = (kind: string, order: string, sku: string) => `${kind}\u0000${order}\u0000${sku}`;

/**
 * The exits of every order and product the lines bill, in time order. The
 * book scans a product's exits per call: a product billed under a few
 * orders is asked once per order, one billed under many is read once and
 * sorted out here, so a long list costs one pass per product.
 */
function exitPools(lines: readonly MarginLine[], book: ValuationBook): Map<string, Pool> {
  const wanted = new Map<string, Set<string>>();
  for (const line of lines) {
    if (line.sku === null || line.order === null) continue;
    const orders = wanted.get(line.sku) ?? new Set<string>();
    orders.add(line.order);
    wanted.set(line.sku, orders);
  }
  const pools = new Map<string, Pool>();
  for (const [sku, orders] of wanted) {
    const exits =
      orders.size <= 4
        ? [...orders].flatMap((order) => book.exits({ order, sku }))
        : book.exits({ sku }).filter((exit) => exit.order !== null && orders.has(exit.order));
    for (const exit of exits) {
      if (exit.order === null || exit.kind === "adjust") continue;
      const key = poolKey(exit.kind, exit.order, sku);
      const pool = pools.get(key) ?? { exits: [], next: 0 };
      pool.exits.push(exit);
      pools.set(key, pool);
    }
  }
  return pools;
}

function costOne(
  quantity: number,
  sku: string,
  pool: Pool | undefined,
  book: ValuationBook,
  method: CostMethod,
): LineCost {
  let cost = 0;
  let estimated = false;
  let provisional = false;
  let left = quantity;
  // A negative quantity (goods taken back on the invoice) draws no unit: it is priced at the next unit's cost.
  while (left > 0) {
    const exit = pool?.exits[pool.next];
    if (!exit || !pool) break;
    pool.next++;
    const share = Math.min(1, left);
    cost += share * book.exitCost(exit, method);
    if (book.cost(exit.fifoKey).provisional) provisional = true;
    left -= share;
  }
  if (left !== 0) {
    const next = book.nextUnitCost(sku);
    cost += left * next.unitCost;
    estimated = true;
    if (next.provisional) provisional = true;
  }
  return { cogs: Math.round(cost), estimated, provisional };
}

/** The margin figures of a line from its revenue and cost, against the floor in force. */
export function marginFigures(
  revenue: number,
  cogs: number | null,
  floor: number | null,
): Pick<MarginRowView, "margin" | "rate" | "flag"> {
  if (cogs === null) return { margin: null, rate: null, flag: "ok" };
  const margin = revenue - cogs;
  const rate = revenue > 0 ? Math.round((margin * 1000) / revenue) / 10 : null;
  // The floor is checked on the exact figures, not on the rounded rate: 19.96 % is under 20 %.
  const flag =
    margin < 0
      ? "below-cost"
      : floor !== null && revenue > 0 && margin * 100 < floor * revenue
        ? "below-margin"
        : "ok";
  return { margin, rate, flag };
}

/** The margin rows of the lines marked `selected` (the others were only read to share their orders' exits). */
export function marginRows(
  lines: readonly MarginLine[],
  book: ValuationBook,
  method: CostMethod,
  floors: MarginFloors,
): { line: MarginLine; row: MarginRowView }[] {
  const costs = costLines(lines, book, method);
  const out: { line: MarginLine; row: MarginRowView }[] = [];
  lines.forEach((line, index) => {
    if (!line.selected) return;
    const cost = costs[index] ?? { cogs: null, estimated: false, provisional: false };
    const floor = line.sku === null ? null : floorOf(floors, line.sku, line.category);
    out.push({
      line,
      row: {
        source: line.source,
        document: line.document,
        line: line.line,
        order: line.order,
        customer: line.customer,
        sku: line.sku ?? line.given,
        name: line.name,
        date: line.date,
        quantity: line.quantity,
        revenue: line.revenue,
        cogs: cost.cogs,
        ...marginFigures(line.revenue, cost.cogs, floor),
        floor,
        estimated: cost.estimated,
        provisional: cost.provisional,
      },
    });
  });
  return out;
}

/** The list an API answers: rows by date, then document and line; totals over the rows with a cost. */
export function marginList(
  rows: readonly MarginRowView[],
  method: CostMethod,
  currency: string,
): MarginListView {
  const sorted = [...rows].sort(
    (a, b) =>
      compare(a.date, b.date) ||
      compare(a.source, b.source) ||
      compare(a.document, b.document) ||
      compare(a.line, b.line, true),
  );
  let revenue = 0;
  let cogs = 0;
  let uncostedRows = 0;
  let uncostedRevenue = 0;
  for (const row of sorted) {
    if (row.cogs === null) {
      uncostedRows++;
      uncostedRevenue += row.revenue;
    } else {
      revenue += row.revenue;
      cogs += row.cogs;
    }
  }
  const margin = revenue - cogs;
  return {
    method,
    currency,
    rows: sorted,
    totals: {
      revenue,
      cogs,
      margin,
      rate: revenue > 0 ? Math.round((margin * 1000) / revenue) / 10 : null,
    },
    uncosted: { rows: uncostedRows, revenue: uncostedRevenue },
  };
}

const collator = new Intl.Collator("en", { numeric: true });
function compare(a: string, b: string, numeric = false): number {
  if (numeric) return collator.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

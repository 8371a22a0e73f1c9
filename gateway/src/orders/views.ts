import type {
  CreditPolicy,
  LiveOrderChange,
  OrderStateMessage,
  OrderView,
} from "@comptoir/contracts";
import type { Catalog } from "../catalog/service.js";
import type { CreditStatement } from "../credit/statements.js";
import { lineFigures, type ProgressReader } from "./progress.js";
import { decisionOf, type OrderEventRow, type OrderRow } from "./records.js";

/**
 * The smallest payment that would release a held order now, with the held
 * orders before it (business-rules.md, "Orders"): the shortfall over the
 * limit counting those orders, or what is counted overdue beyond the floor,
 * whichever is larger. Null when paying cannot release it: no credit, or
 * credit on hold.
 */
export function toRelease(
  row: OrderRow,
  statement: CreditStatement,
  heldInOrder: readonly OrderRow[],
  policy: CreditPolicy,
): number | null {
  if (row.credit_state !== "held" || row.cancelled) return null;
  const reasons = decisionOf(row).reasons;
  if (reasons.some((reason) => reason.code === "no-credit" || reason.code === "on-hold"))
    return null;
  if (statement.limit === 0 || statement.status === "on-hold") return null;
  let cumulative = 0;
  for (const held of heldInOrder) {
    cumulative += held.total;
    if (held.number === row.number) break;
  }
  const shortfall =
    statement.limit === null
      ? 0
      : Math.max(0, statement.exposure.total + cumulative - statement.limit);
  const counted = statement.overdue.items
    .filter((item) => item.daysOverdue > policy.overdueDays)
    .reduce((sum, item) => sum + item.open, 0);
  const overdue = counted > policy.overdueFloor ? counted - policy.overdueFloor : 0;
  return Math.max(shortfall, overdue);
}

/** An order as the API answers it. */
export function orderView(
  row: OrderRow,
  context: {
    catalog: Pick<Catalog, "product" | "customer">;
    progress: ProgressReader;
    events: readonly OrderEventRow[];
    toRelease: number | null;
  },
): OrderView {
  const lines = context.progress.lines(row.number);
  const figures = lineFigures(lines, context.progress.progress(row.number));
  const decision = decisionOf(row);
  return {
    number: row.number,
    customer: row.customer,
    customerName: context.catalog.customer(row.customer)?.name ?? row.customer,
    orderDate: row.order_date,
    requestedShipDate: row.requested_ship_date,
    currency: row.currency,
    total: row.total,
    state: row.state,
    credit: {
      decision: decision.decision,
      reasons: decision.reasons,
      figures: decision.figures,
      toRelease: context.toRelease,
    },
    lines: lines.map((line, index) => ({
      sku: line.sku,
      gtin: line.gtin,
      name: line.sku ? (context.catalog.product(line.sku)?.name ?? null) : null,
      quantity: line.quantity,
      unitPrice: line.unit_price,
      lineTotal: line.quantity * line.unit_price,
      shipped: figures[index]?.shipped ?? 0,
      invoiced: figures[index]?.invoiced ?? 0,
    })),
    history: context.events.map((event) => ({
      at: event.at,
      state: event.state,
      by: event.by,
      ...(event.reason !== null ? { reason: event.reason } : {}),
      ...(event.exposure_before !== null ? { exposureBefore: event.exposure_before } : {}),
      ...(event.exposure_after !== null ? { exposureAfter: event.exposure_after } : {}),
      ...(event.seq !== null ? { seq: event.seq } : {}),
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The reasons a held order shows (the blocking ones); none for any other state. */
function holdReasons(row: OrderRow) {
  return row.state === "held" ? decisionOf(row).reasons.slice(0, 10) : [];
}

/** The retained `orders/<order>` message: what the dock needs, online or not. */
export function stateMessage(row: OrderRow, customerName: string, asOf: string): OrderStateMessage {
  return {
    order: row.number,
    customer: row.customer,
    customerName: customerName.slice(0, 200),
    state: row.state,
    reasons: holdReasons(row),
    version: row.version,
    asOf,
  };
}

/** The live feed's "order" event of a state change. */
export function liveChange(
  row: OrderRow,
  customerName: string,
  previous: OrderRow["state"] | null,
  by: string,
  reason?: string,
): LiveOrderChange {
  return {
    order: row.number,
    customer: row.customer,
    customerName,
    state: row.state,
    previous,
    total: row.total,
    currency: row.currency,
    reasons: holdReasons(row).map((item) => item.message),
    by,
    ...(reason ? { reason } : {}),
  };
}

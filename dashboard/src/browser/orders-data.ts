/**
 * Sales orders and credit decisions as the dashboard reads them: the checks
 * on GET /orders, the "order" live event and GET /credit/decisions (the page
 * trusts nothing it did not check), and the words for an order's state.
 */
import type {
  CreditDecisionRecord,
  LiveCreditDecision,
  LiveOrderChange,
  OrderView,
} from "@comptoir/contracts";
import { isInt, isObj, isStr, isStrOrNull, type Obj } from "./core.js";

/** An invoice a reason counts (an overdue one), when the gateway names them. */
interface ReasonItem {
  invoice: string;
  open: number;
  daysOverdue: number;
}
/** A credit decision's reason: its code, the sentence, and the invoices behind it when it has them. */
export interface Reason {
  code: string;
  message: string;
  items?: ReasonItem[];
}

const isReasonItem = (i: unknown): i is ReasonItem =>
  isObj(i) && isStr(i.invoice) && isInt(i.open) && isInt(i.daysOverdue);
const isReason = (r: unknown): r is Reason =>
  isObj(r) &&
  isStr(r.code) &&
  isStr(r.message) &&
  (r.items === undefined || (Array.isArray(r.items) && r.items.every(isReasonItem)));

/** An order's line, as far as the page reads it. */
type OrderLine = Pick<OrderView["lines"][number], "sku" | "gtin" | "name" | "quantity" | "shipped">;
/** An order of GET /orders, as far as the page reads it. */
export type Order = Pick<
  OrderView,
  | "number"
  | "customer"
  | "customerName"
  | "orderDate"
  | "requestedShipDate"
  | "currency"
  | "total"
  | "state"
> & {
  credit: { decision: string; reasons: Reason[]; toRelease: number | null };
  lines: OrderLine[];
  history: OrderStep[];
};

export const ORDER_STATE_WORDS: Readonly<Record<OrderView["state"], string>> = {
  approved: "approved",
  held: "held",
  released: "released",
  "partially-shipped": "partially shipped",
  shipped: "shipped",
  invoiced: "invoiced",
  cancelled: "cancelled",
};
const isState = (v: unknown): v is OrderView["state"] =>
  isStr(v) && Object.hasOwn(ORDER_STATE_WORDS, v);

/** One step of an order's life, as far as the page reads it. */
type OrderStep = Pick<
  OrderView["history"][number],
  "at" | "state" | "by" | "reason" | "exposureBefore" | "exposureAfter"
>;
const isIntOrAbsent = (v: unknown): v is number | undefined => v === undefined || isInt(v);
const isStep = (e: unknown): e is OrderStep =>
  isObj(e) &&
  isStr(e.at) &&
  isState(e.state) &&
  isStr(e.by) &&
  (e.reason === undefined || isStr(e.reason)) &&
  isIntOrAbsent(e.exposureBefore) &&
  isIntOrAbsent(e.exposureAfter);

const isLine = (l: unknown): l is OrderLine =>
  isObj(l) &&
  isStrOrNull(l.sku) &&
  isStrOrNull(l.gtin) &&
  isStrOrNull(l.name) &&
  isInt(l.quantity) &&
  isInt(l.shipped);

const isCredit = (c: unknown): c is Order["credit"] =>
  isObj(c) &&
  isStr(c.decision) &&
  Array.isArray(c.reasons) &&
  c.reasons.every(isReason) &&
  (c.toRelease === null || isInt(c.toRelease));

const isOrder = (o: unknown): o is Order =>
  isObj(o) &&
  isStr(o.number) &&
  isStr(o.customer) &&
  isStr(o.customerName) &&
  isStr(o.orderDate) &&
  isStr(o.requestedShipDate) &&
  isStr(o.currency) &&
  isInt(o.total) &&
  isState(o.state) &&
  isCredit(o.credit) &&
  Array.isArray(o.lines) &&
  o.lines.every(isLine) &&
  Array.isArray(o.history) &&
  o.history.every(isStep);

/** GET /orders: the orders that have the documented shape, and the counts per state. */
export interface OrderList {
  orders: Order[];
  counts: Partial<Record<OrderView["state"], number>>;
  /** Orders of the answer whose shape was not the documented one (left out, and said so). */
  skipped: number;
}
export function orderList(body: unknown): OrderList | null {
  if (!isObj(body) || !Array.isArray(body.orders) || !isObj(body.counts)) return null;
  const counts: OrderList["counts"] = {};
  for (const [state, count] of Object.entries(body.counts))
    if (isState(state) && isInt(count)) counts[state] = count;
  const orders = body.orders.filter(isOrder);
  return { orders, counts, skipped: body.orders.length - orders.length };
}

/** The live feed's "order" event, as far as the pages read it. */
export const isOrderChange = (e: Obj): e is Obj & LiveOrderChange =>
  isStr(e.order) &&
  isStr(e.customer) &&
  isStr(e.customerName) &&
  isStr(e.state) &&
  isStrOrNull(e.previous) &&
  isInt(e.total) &&
  isStr(e.currency);

/** A decision as the Credit page lists it: from GET /credit/decisions, or from the live feed. */
export interface DecisionLine {
  key: string;
  at: string;
  customer: string;
  customerName: string | null;
  decision: "approve" | "block";
  reasons: Reason[];
  amount: number;
  currency: string;
  /** Where it was taken: a counter node, a credit check, an order. */
  where: string;
  by: string;
  offline: boolean;
}

const WHERE: Readonly<Record<CreditDecisionRecord["source"], string>> = {
  counter: "at the counter",
  check: "credit check",
  order: "order",
};

const isDecision = (v: unknown): v is "approve" | "block" => v === "approve" || v === "block";

/** One record of GET /credit/decisions as a line, or null when its shape is not the documented one. */
export function decisionOfRecord(r: unknown): DecisionLine | null {
  if (
    !isObj(r) ||
    !isStr(r.source) ||
    !Object.hasOwn(WHERE, r.source) ||
    !isStr(r.chain) ||
    !isInt(r.seq) ||
    !isStr(r.at) ||
    !isStr(r.customer) ||
    !isStrOrNull(r.customerName) ||
    !isDecision(r.decision) ||
    !Array.isArray(r.reasons) ||
    !r.reasons.every(isReason) ||
    !isInt(r.amount) ||
    !isStr(r.currency) ||
    !isStr(r.by) ||
    typeof r.offline !== "boolean"
  )
    return null;
  const source = r.source as CreditDecisionRecord["source"];
  const order = isStr(r.order) ? ` ${r.order}` : "";
  return {
    key: `${r.chain}#${r.seq}`,
    at: r.at,
    customer: r.customer,
    customerName: r.customerName,
    decision: r.decision,
    reasons: r.reasons,
    amount: r.amount,
    currency: r.currency,
    where: source === "counter" ? `at ${r.chain}` : `${WHERE[source]}${order}`,
    by: r.by,
    offline: r.offline,
  };
}

/** A counter's decision from the live feed (its reasons are the messages only) as a line. */
export const decisionOfLive = (e: LiveCreditDecision): DecisionLine => ({
  key: `${e.node}#${e.seq}`,
  at: e.at,
  customer: e.customer,
  customerName: null,
  decision: e.decision,
  reasons: e.reasons.map((message) => ({ code: "", message })),
  amount: e.amount,
  currency: e.currency,
  where: `at ${e.node}`,
  by: e.clerk,
  offline: e.offline,
});

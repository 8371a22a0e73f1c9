import type { DiscrepancyKind, InvoiceInput } from "@comptoir/contracts";
import {
  KEY_CUSTOMERS,
  KEY_PRODUCTS,
  type KeyProduct,
  LIMITED_CUSTOMER,
  PREPAYING_CUSTOMER,
} from "./catalog.js";
import { countSkus, orderHistory } from "./key-orders.js";
import { purchaseGaps } from "./key-purchases.js";
import { type KeyValuation, valuationKey } from "./key-valuation.js";
import type { PlannedItem, SitePlan } from "./plan.js";

/**
 * The answer key of a site plan: every figure the gateway must give once the
 * plan has happened, worked out from the plan with the rules of
 * business-rules.md — never with the gateway's code.
 */
export interface AnswerKey extends KeyValuation {
  /** GET /stock: items per product and zone (an unknown GTIN's under its GTIN, plain tags under null). */
  stock: KeyStockRow[];
  /** GET /reconciliation?graceDays=0: the exact list. */
  discrepancies: KeyDiscrepancy[];
  /** GET /credit/:customer: the exposure's parts. */
  exposure: Record<string, KeyExposure>;
  /** GET /receivables/aging?asOf=<end>: per customer, and the grand total. */
  aging: Record<string, KeyAging>;
  agingTotal: number;
  /** Stock value, FIFO, minor units: what the layers of known products have left × their costs. */
  stockValue: number;
  /** Movements the nodes must record, by kind. */
  movements: Record<string, number>;
  /** GET /orders: each order's state. */
  orders: Record<string, string>;
  /** Orders held at the end. */
  held: number;
}

export interface KeyStockRow {
  sku: string | null;
  gtin?: string;
  zone: string;
  count: number;
}

export interface KeyDiscrepancy {
  kind: DiscrepancyKind;
  order: string | null;
  sku: string | null;
  gtin: string | null;
  observed: number;
  invoiced: number;
  amount: number | null;
  /** How many reads back it up. */
  evidence: number;
}

export interface KeyExposure {
  openInvoices: number;
  unappliedPayments: number;
  shippedNotInvoiced: number;
  counterSales: number;
  openOrders: number;
  total: number;
}

export interface KeyAging {
  buckets: Record<string, number>;
  unapplied: number;
  total: number;
}

const DAY_MS = 86_400_000;
const product = (sku: string) => KEY_PRODUCTS.find((p) => p.sku === sku) as KeyProduct;

export function answerKey(plan: SitePlan): AnswerKey {
  const invoices = plan.days.flatMap((day) => [
    ...day.orders.flatMap((order) => (order.invoice ? [order.invoice] : [])),
    ...day.unshippedInvoices,
  ]);
  const payments = plan.days.flatMap((day) => day.payments);
  const paid = new Map<string, number>();
  /** Payments on account (no invoice named), per customer: they stay unapplied. */
  const prepaid = new Map<string, number>();
  for (const payment of payments) {
    const number = /FACT (\S+)/.exec(payment.label ?? "")?.[1];
    if (number) paid.set(number, (paid.get(number) ?? 0) + payment.amount);
    else {
      const customer = payment.customer ?? "";
      prepaid.set(customer, (prepaid.get(customer) ?? 0) + payment.amount);
    }
  }
  const openOf = (invoice: InvoiceInput) => invoice.amountDue - (paid.get(invoice.number) ?? 0);

  // Where every item is at the end, as the nodes can know it.
  const place = new Map<string, { item: PlannedItem; zone: string | null }>();
  const movements = { receive: 0, putaway: 0, pick: 0, ship: 0 };
  for (const day of plan.days) {
    for (const item of day.delivery.items) place.set(item.epc, { item, zone: item.bay });
    movements.receive += day.delivery.items.length;
    movements.putaway += day.delivery.items.length;
    for (const item of day.vanished) place.set(item.epc, { item, zone: "picked" });
    movements.pick += day.vanished.length;
    for (const order of day.orders) {
      for (const item of order.shipped) place.set(item.epc, { item, zone: null });
      movements.pick += order.shipped.length;
      movements.ship += order.shipped.length;
    }
  }
  const stock = stockRows([...place.values()]);

  const discrepancies: KeyDiscrepancy[] = [
    ...salesGaps(plan),
    ...purchaseGaps(plan),
    ...plan.days.flatMap((day) => {
      const plain = day.delivery.items.filter((item) => item.gtin === null);
      return plain.length === 0
        ? []
        : [gap("unknown_tag", day.delivery.po, null, null, plain.length, 0, null, plain.length)];
    }),
    ...unknownProducts(stock, [...place.values()]),
    ...stockGaps(plan, stock),
  ];

  const exposure: Record<string, KeyExposure> = {};
  const aging: Record<string, KeyAging> = {};
  let agingTotal = 0;
  const { states: orders } = orderHistory(plan);
  for (const customer of [...KEY_CUSTOMERS, PREPAYING_CUSTOMER, LIMITED_CUSTOMER]) {
    const own = invoices.filter((invoice) => invoice.customer === customer.id);
    const unapplied = -(prepaid.get(customer.id) ?? 0);
    const openInvoices = own.reduce((sum, invoice) => sum + openOf(invoice), 0);
    const shipped = shippedNotInvoiced(plan, customer.id);
    const open = openOrders(plan, orders, customer.id);
    exposure[customer.id] = {
      openInvoices,
      unappliedPayments: unapplied,
      shippedNotInvoiced: shipped,
      counterSales: 0,
      openOrders: open,
      total: openInvoices + unapplied + shipped + open,
    };
    const buckets: Record<string, number> = {
      current: 0,
      "1-30": 0,
      "31-60": 0,
      "61-90": 0,
      "91-120": 0,
      "over-120": 0,
    };
    for (const invoice of own) {
      const days = Math.round(
        (Date.parse(plan.end) - Date.parse(invoice.dueDate as string)) / DAY_MS,
      );
      const bucket = bucketOf(days);
      buckets[bucket] = (buckets[bucket] ?? 0) + openOf(invoice);
    }
    const total = openInvoices + unapplied;
    if (own.length > 0 || unapplied !== 0) aging[customer.id] = { buckets, unapplied, total };
    agingTotal += total;
  }

  const valuation = valuationKey(plan);
  const held = Object.values(orders).filter((state) => state === "held").length;
  return {
    stock,
    discrepancies,
    exposure,
    aging,
    agingTotal,
    stockValue: valuation.valuationTotal.value,
    movements,
    orders,
    held,
    ...valuation,
  };
}

/** Approved and released orders' units neither shipped nor invoiced, at the order's prices. */
function openOrders(plan: SitePlan, states: Record<string, string>, customer: string): number {
  let total = 0;
  for (const day of plan.days) {
    const orders = [
      ...day.orders,
      ...day.creditOrders.map((order) => ({ ...order, shipped: [], invoice: null })),
    ];
    for (const order of orders) {
      if (order.customer !== customer) continue;
      if (["held", "cancelled"].includes(states[order.order] ?? "")) continue;
      const seen = countSkus(order.shipped);
      const billed = order.invoice?.lines;
      for (const line of order.lines) {
        const invoiced = billed?.find((b) => b.sku === line.sku)?.quantity ?? 0;
        const done = Math.max(seen.get(line.sku) ?? 0, invoiced);
        total += Math.max(0, line.quantity - done) * line.unitPrice;
      }
    }
  }
  return total;
}

function bucketOf(daysPastDue: number): string {
  if (daysPastDue <= 0) return "current";
  if (daysPastDue <= 30) return "1-30";
  if (daysPastDue <= 60) return "31-60";
  if (daysPastDue <= 90) return "61-90";
  if (daysPastDue <= 120) return "91-120";
  return "over-120";
}

function stockRows(places: { item: PlannedItem; zone: string | null }[]): KeyStockRow[] {
  const rows = new Map<string, KeyStockRow>();
  for (const { item, zone } of places) {
    if (zone === null) continue;
    const gtin = item.sku === null && item.gtin !== null ? item.gtin : undefined;
    const key = `${item.sku}|${gtin}|${zone}`;
    const row = rows.get(key) ?? { sku: item.sku, ...(gtin ? { gtin } : {}), zone, count: 0 };
    row.count += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort(compareRows);
}

export function compareRows(a: KeyStockRow, b: KeyStockRow): number {
  return (
    (a.sku ?? "").localeCompare(b.sku ?? "") ||
    (a.gtin ?? "").localeCompare(b.gtin ?? "") ||
    a.zone.localeCompare(b.zone)
  );
}

function gap(
  kind: DiscrepancyKind,
  order: string | null,
  sku: string | null,
  gtin: string | null,
  observed: number,
  invoiced: number,
  amount: number | null,
  evidence: number,
): KeyDiscrepancy {
  return { kind, order, sku, gtin, observed, invoiced, amount, evidence };
}

/** Per order and product: items that left against quantities billed. */
function salesGaps(plan: SitePlan): KeyDiscrepancy[] {
  const gaps: KeyDiscrepancy[] = [];
  const orders = plan.days.flatMap((day) => [
    ...day.orders.map((order) => ({
      order: order.order,
      shipped: order.shipped,
      invoice: order.invoice,
    })),
    ...day.unshippedInvoices.map((invoice) => ({
      order: invoice.orderRef as string,
      shipped: [] as PlannedItem[],
      invoice,
    })),
  ]);
  for (const { order, shipped, invoice } of orders) {
    const seen = new Map<string, number>();
    for (const item of shipped)
      seen.set(item.sku as string, (seen.get(item.sku as string) ?? 0) + 1);
    const billed = new Map((invoice?.lines ?? []).map((line) => [line.sku as string, line]));
    for (const sku of new Set([...seen.keys(), ...billed.keys()])) {
      const observed = seen.get(sku) ?? 0;
      const line = billed.get(sku);
      const invoiced = line?.quantity ?? 0;
      if (observed === invoiced) continue;
      const price = line?.unitPrice ?? product(sku).unitPrice;
      const amount = Math.abs(observed - invoiced) * price;
      const kind = observed > invoiced ? "shipped_not_invoiced" : "invoiced_not_shipped";
      gaps.push(gap(kind, order, sku, null, observed, invoiced, amount, observed));
    }
  }
  return gaps;
}

function unknownProducts(
  stock: KeyStockRow[],
  places: { item: PlannedItem; zone: string | null }[],
): KeyDiscrepancy[] {
  const gtins = new Set(stock.flatMap((row) => (row.gtin ? [row.gtin] : [])));
  return [...gtins].map((gtin) => {
    const count = places.filter(({ item }) => item.sku === null && item.gtin === gtin).length;
    return gap("unknown_product", null, null, gtin, count, 0, null, count);
  });
}

/** RFID stock per product against the book: supplier invoices − customer invoices + adjustments. */
function stockGaps(plan: SitePlan, stock: KeyStockRow[]): KeyDiscrepancy[] {
  const book = new Map<string, number>();
  const add = (sku: string, delta: number) => book.set(sku, (book.get(sku) ?? 0) + delta);
  for (const day of plan.days) {
    for (const line of day.delivery.invoice?.lines ?? []) add(line.sku as string, line.quantity);
    for (const invoice of [
      ...day.orders.flatMap((order) => (order.invoice ? [order.invoice] : [])),
      ...day.unshippedInvoices,
    ]) {
      for (const line of invoice.lines) add(line.sku as string, -line.quantity);
    }
    for (const adjustment of day.adjustments) add(adjustment.sku, adjustment.delta);
  }
  const counted = new Map<string, number>();
  for (const row of stock)
    if (row.sku) counted.set(row.sku, (counted.get(row.sku) ?? 0) + row.count);
  const gaps: KeyDiscrepancy[] = [];
  for (const sku of new Set([...book.keys(), ...counted.keys()])) {
    const observed = counted.get(sku) ?? 0;
    const expected = book.get(sku) ?? 0;
    if (observed === expected) continue;
    const amount = Math.abs(observed - expected) * product(sku).unitPrice;
    gaps.push(gap("stock_gap", null, sku, null, observed, expected, amount, 0));
  }
  return gaps;
}

/** Per order and product: items that left beyond what the order's invoice bills, at its price. */
function shippedNotInvoiced(plan: SitePlan, customer: string): number {
  let total = 0;
  for (const order of plan.days.flatMap((day) => day.orders)) {
    if (order.customer !== customer) continue;
    const seen = new Map<string, number>();
    for (const item of order.shipped)
      seen.set(item.sku as string, (seen.get(item.sku as string) ?? 0) + 1);
    for (const [sku, count] of seen) {
      const line = order.invoice?.lines.find((candidate) => candidate.sku === sku);
      const surplus = count - (line?.quantity ?? 0);
      if (surplus > 0) total += surplus * (line?.unitPrice ?? product(sku).unitPrice);
    }
  }
  return total;
}

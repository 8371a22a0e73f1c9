import type { DiscrepancyKind, InvoiceInput } from "@comptoir/contracts";
import {
  type HistoryCustomer,
  type HistoryProduct,
  type HistorySupplier,
  historyCatalog,
} from "./history-catalog.js";
import {
  addDays,
  datesFrom,
  isMonthEnd,
  isWeekday,
  readTimes,
  weekdayFrom,
} from "./history-dates.js";
import {
  DEFAULT_FAULTS,
  expectedCounts,
  type FaultName,
  type FaultPlan,
  type InjectedFault,
} from "./history-faults.js";
import { type GoodsOrder, type HistoryMovement, HistoryWarehouse } from "./history-goods.js";
import { HistoryPayments } from "./history-payments.js";
import { HistoryReceivables, type OpenItem } from "./history-receivables.js";
import { Dice } from "./pace.js";

export interface HistoryOptions {
  seed?: number;
  /** First and last day, YYYY-MM-DD. */
  start?: string;
  end?: string;
  skus?: number;
  customers?: number;
  faults?: Partial<FaultPlan>;
}

/** A payment as a bank export shows it: no customer id, only the payer's name and the label. */
export interface HistoryPayment {
  id: string;
  date: string;
  amount: number;
  label: string;
  reference?: string;
  payer: string;
}

/** What happened on one day, in the order a gateway must be told: reads, then invoices, then the bank. */
export interface HistoryDay {
  date: string;
  movements: HistoryMovement[];
  invoices: InvoiceInput[];
  payments: HistoryPayment[];
}

export interface AnswerKey {
  /** GET /reconciliation's counts at `History.now` with the default grace period. */
  counts: Record<DiscrepancyKind, number>;
  faults: InjectedFault[];
  /** Open items at each month end and at the last day. */
  open: Record<string, OpenItem[]>;
  /** Residues written off less excesses kept, at the last day. */
  writtenOff: number;
}

export interface History {
  start: string;
  end: string;
  /** When to reconcile: the last day, evening. */
  now: string;
  graceDays: number;
  currency: string;
  products: readonly HistoryProduct[];
  customers: readonly HistoryCustomer[];
  suppliers: readonly HistorySupplier[];
  days: HistoryDay[];
  answer: AnswerKey;
}

const VAT_RATE = 20;
const GRACE_DAYS = 3;
const CURRENCY = "EUR";

/**
 * A few months of a wholesaler's site, day by day, from a seed: supplier
 * deliveries read at the inbound portal and their invoices, customer
 * orders read leaving and invoiced a day or two later (some on split
 * terms), credit notes, bank payments in every habit, and mistakes made on
 * purpose in the numbers asked. With it, the answer key: what a
 * reconciliation must find and what each customer owes, worked out by the
 * generator from what it did. Pure: no clock, no I/O, no Math.random.
 */
export function generateHistory(options: HistoryOptions = {}): History {
  const start = options.start ?? "2026-01-05";
  const end = options.end ?? "2026-03-31";
  const dice = new Dice(options.seed ?? 20260105);
  const cast = historyCatalog(dice, options.skus ?? 20, options.customers ?? 8);
  const faults = { ...DEFAULT_FAULTS, ...options.faults };
  const dates = datesFrom(start, end);
  const goods = new HistoryWarehouse(cast.products, dice);
  const books = new HistoryReceivables();
  const payments = new HistoryPayments(dice, books, cast.customers, start, end);
  const injected: InjectedFault[] = [];
  const pending = planFaults(dice, faults, dates, start, end);
  // A mistake planned for a day is made on the first order it can be made on, that day or after.
  const due = (fault: FaultName, date: string) => (pending[fault][0] ?? "~") <= date;
  const take = (fault: FaultName, date: string, order: string) => {
    if (!due(fault, date)) return false;
    pending[fault].shift();
    injected.push({ fault, order, date });
    return true;
  };
  const numbers = new Map<string, number>();
  const next = (prefix: string) => {
    const n = (numbers.get(prefix) ?? 0) + 1;
    numbers.set(prefix, n);
    return `${prefix}${String(n).padStart(4, "0")}`;
  };
  const arrivals = new Map<string, GoodsOrder[]>();
  const toBill = new Map<
    string,
    { order: GoodsOrder; side: "sales" | "purchases"; extra: number }[]
  >();
  const later = <T>(map: Map<string, T[]>, date: string, item: T) => {
    if (date <= end) map.set(date, [...(map.get(date) ?? []), item]);
  };
  const days: HistoryDay[] = [];
  const open: Record<string, OpenItem[]> = {};

  for (const date of dates) {
    const day: HistoryDay = { date, movements: [], invoices: [], payments: [] };
    days.push(day);
    const business = isWeekday(date);
    if (date === start) {
      // The opening stock, delivered the first morning, and what customers still owed from before.
      for (const supplier of cast.suppliers) {
        const lines = goods.shortages(supplier.id, 1, 18);
        later(arrivals, date, goods.order(next("PO-"), supplier.id, lines, "purchases"));
      }
      for (const invoice of payments.opening(next)) {
        day.invoices.push(invoice);
      }
    }

    if (business) {
      // Mornings: deliveries through the inbound portal.
      // A portal reads a pallet's tags a few seconds apart.
      const inbound = readTimes(date, 7 * 3600, 5);
      for (const po of arrivals.get(date) ?? []) {
        day.movements.push(...goods.receive(po, inbound));
        if (take("receivedNotInvoiced", date, po.id)) continue;
        const extra = take("purchaseQuantityMismatch", date, po.id) ? 1 : 0;
        later(toBill, addDays(date, dice.int(0, 2)), { order: po, side: "purchases", extra });
      }
      for (const supplier of cast.suppliers) {
        const lines = goods.shortages(supplier.id, 6, 16);
        if (lines.size === 0) continue;
        const po = goods.order(next("PO-"), supplier.id, lines, "purchases");
        later(arrivals, weekdayFrom(addDays(date, dice.int(2, 4))), po);
      }
      if (due("invoicedNotReceived", date)) {
        const supplier = dice.pick(cast.suppliers);
        const lines = someLines(dice, cast.products, supplier.id);
        const po = goods.order(next("PO-"), supplier.id, lines, "purchases", false);
        take("invoicedNotReceived", date, po.id);
        later(toBill, date, { order: po, side: "purchases", extra: 0 });
      }

      // Afternoons: customer orders leave through the outbound portal.
      const outbound = readTimes(date, 13 * 3600, 5);
      for (let n = dice.int(2, 4); n > 0; n--) {
        const lines = new Map<string, number>();
        for (let l = dice.int(1, 3); l > 0; l--) {
          const product = dice.pick(cast.products);
          const quantity = Math.min(
            dice.int(1, 4),
            goods.available(product.sku) - (lines.get(product.sku) ?? 0),
          );
          if (quantity > 0) lines.set(product.sku, (lines.get(product.sku) ?? 0) + quantity);
        }
        if (lines.size === 0) continue;
        const order = goods.order(next("SO-"), dice.pick(cast.customers).id, lines, "sales");
        const forgotten = take("shippedNotInvoiced", date, order.id);
        const mismatch = !forgotten && take("salesQuantityMismatch", date, order.id);
        const unknown = !forgotten && !mismatch && take("unknownTag", date, order.id);
        day.movements.push(...goods.ship(order, outbound, unknown));
        if (!forgotten)
          later(toBill, addDays(date, dice.int(0, 2)), {
            order,
            side: "sales",
            extra: mismatch ? 1 : 0,
          });
      }
      if (due("invoicedNotShipped", date)) {
        const lines = someLines(dice, cast.products);
        const order = goods.order(next("SO-"), dice.pick(cast.customers).id, lines, "sales");
        take("invoicedNotShipped", date, order.id);
        later(toBill, date, { order, side: "sales", extra: 0 });
        payments.dispute(order.id);
      }
    }

    // The accounting side: what was delivered or shipped is invoiced, now and then a credit note.
    for (const { order, side, extra } of toBill.get(date) ?? []) {
      const billed = new Map(order.lines);
      if (extra !== 0) {
        const [sku, quantity] = [...billed][0] as [string, number];
        billed.set(sku, quantity + extra);
      }
      goods.bill(order.record, billed, side);
      const invoice =
        side === "sales"
          ? customerInvoice(
              next("F2026-"),
              order,
              billed,
              date,
              cast.products,
              dice,
              cast.customers,
            )
          : supplierInvoice(order, billed, date, cast.products, cast.suppliers, next);
      day.invoices.push(invoice);
      if (side === "sales") payments.invoiced(invoice);
    }
    if (business && dice.chance(0.12)) {
      const note = payments.creditNote(date, next);
      if (note) day.invoices.push(note);
    }
    day.payments.push(...payments.due(date, next));
    if (isMonthEnd(date) || date === end) open[date] = books.openItems();
  }

  const now = `${end}T18:00:00.000Z`;
  return {
    start,
    end,
    now,
    graceDays: GRACE_DAYS,
    currency: CURRENCY,
    products: cast.products,
    customers: cast.customers,
    suppliers: cast.suppliers,
    days,
    answer: {
      counts: expectedCounts(
        goods.sales,
        goods.purchases,
        goods.stockAgainstBook(),
        now,
        GRACE_DAYS,
      ),
      faults: injected,
      open,
      writtenOff: books.writtenOff,
    },
  };
}

/** The days each mistake is made on or after: weekdays from the second week to ten days before the end. */
function planFaults(
  dice: Dice,
  plan: FaultPlan,
  dates: readonly string[],
  start: string,
  end: string,
) {
  const eligible = dates.filter(
    (date) => isWeekday(date) && date >= addDays(start, 7) && date <= addDays(end, -10),
  );
  if (eligible.length === 0)
    throw new RangeError("the history is too short for mistakes: give it a month at least");
  const pending = {} as Record<FaultName, string[]>;
  for (const fault of Object.keys(plan) as FaultName[])
    pending[fault] = Array.from({ length: plan[fault] }, () => dice.pick(eligible)).sort();
  return pending;
}

function someLines(dice: Dice, products: readonly HistoryProduct[], supplier?: string) {
  const choice = products.filter((product) => !supplier || product.supplier === supplier);
  const lines = new Map<string, number>();
  for (let l = dice.int(1, 2); l > 0; l--) lines.set(dice.pick(choice).sku, dice.int(1, 3));
  return lines;
}

function invoiceLines(
  billed: Map<string, number>,
  products: readonly HistoryProduct[],
  price: "unitPrice" | "unitCost",
) {
  return [...billed].map(([sku, quantity], index) => {
    const product = products.find((p) => p.sku === sku) as HistoryProduct;
    return {
      id: String(index + 1),
      sku,
      gtin: product.gtin,
      quantity,
      unitCode: "C62",
      unitPrice: product[price],
      netAmount: product[price] * quantity,
      vatRate: VAT_RATE,
    };
  });
}

function totals(net: number) {
  const vat = Math.round((net * VAT_RATE) / 100);
  return { netTotal: net, vatTotal: vat, grossTotal: net + vat, prepaid: 0, amountDue: net + vat };
}

function customerInvoice(
  number: string,
  order: GoodsOrder,
  billed: Map<string, number>,
  date: string,
  products: readonly HistoryProduct[],
  dice: Dice,
  customers: readonly HistoryCustomer[],
): InvoiceInput {
  const customer = customers.find((c) => c.id === order.party) as HistoryCustomer;
  const lines = invoiceLines(billed, products, "unitPrice");
  const sums = totals(lines.reduce((sum, line) => sum + line.netAmount, 0));
  const dueDate = addDays(date, customer.paymentTermsDays);
  // Large invoices are sometimes split in two instalments a month apart (never for statement payers).
  const split = customer.habit !== "statement" && sums.amountDue >= 30_000 && dice.chance(0.3);
  const half = Math.floor(sums.amountDue / 2);
  return {
    number,
    direction: "customer",
    type: "invoice",
    issueDate: date,
    dueDate,
    currency: CURRENCY,
    customer: customer.id,
    orderRef: order.id,
    lines,
    ...sums,
    ...(split
      ? {
          instalments: [
            { dueDate, amount: half },
            { dueDate: addDays(dueDate, 30), amount: sums.amountDue - half },
          ],
        }
      : {}),
  };
}

function supplierInvoice(
  order: GoodsOrder,
  billed: Map<string, number>,
  date: string,
  products: readonly HistoryProduct[],
  suppliers: readonly HistorySupplier[],
  next: (prefix: string) => string,
): InvoiceInput {
  const supplier = suppliers.find((s) => s.id === order.party) as HistorySupplier;
  const lines = invoiceLines(billed, products, "unitCost");
  return {
    number: next(`${supplier.prefix}-2026-`),
    direction: "supplier",
    type: "invoice",
    issueDate: date,
    dueDate: addDays(date, 45),
    currency: CURRENCY,
    supplier: supplier.id,
    orderRef: order.id,
    lines,
    ...totals(lines.reduce((sum, line) => sum + line.netAmount, 0)),
  };
}

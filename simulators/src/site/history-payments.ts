import type { InvoiceInput } from "@comptoir/contracts";
import type { HistoryPayment } from "./history.js";
import type { HistoryCustomer, PayerHabit } from "./history-catalog.js";
import { addDays, weekdayFrom } from "./history-dates.js";
import type { HistoryReceivables } from "./history-receivables.js";
import type { Dice } from "./pace.js";

interface Plan {
  invoice: string;
  customer: HistoryCustomer;
  /** full: what is still owed; part: 40–60 % of it; first-instalment: the first part of split terms. */
  kind: "full" | "part" | "first-instalment";
  firstPart?: number;
}

interface Issued {
  number: string;
  customer: string;
  issueDate: string;
  amountDue: number;
  split: boolean;
  opening: boolean;
  disputed: boolean;
}

/** Days before the start that the debts taken over from the old books fell due. */
const OPENING_DUE: readonly [number, number][] = [
  [45, 60],
  [10, 20],
  [0, 3],
];

/** An unknown payer: its transfer can be attributed to nobody. */
export const STRANGER = "SCI Les Tilleuls";

/**
 * The customers' side of a generated history: when and how each invoice
 * is paid (by the customer's habit), credit notes, and a few payments
 * every ledger meets: a residue small enough to write off, an advance
 * larger than all that is owed, a transfer from a stranger. Every payment
 * is applied to the generator's own receivables as it is made.
 */
export class HistoryPayments {
  readonly #plans = new Map<string, Plan[]>();
  readonly #issued: Issued[] = [];
  readonly #disputed = new Set<string>();
  #shortPaid = false;

  constructor(
    private readonly dice: Dice,
    private readonly books: HistoryReceivables,
    private readonly customers: readonly HistoryCustomer[],
    private readonly start: string,
    private readonly end: string,
  ) {}

  /** What customers still owed when the history starts, taken over from the old books (no lines). */
  opening(next: (prefix: string) => string): InvoiceInput[] {
    const invoices: InvoiceInput[] = [];
    for (const customer of this.customers) {
      // Three old debts per customer, due 45–60, 10–20 and 0–3 days before the start: three
      // months on, those a late payer never settles fill the buckets over 120, 91–120 and 61–90.
      for (const [from, to] of OPENING_DUE) {
        const dueDate = addDays(this.start, -this.dice.int(from, to));
        const issueDate = addDays(dueDate, -customer.paymentTermsDays);
        const gross = this.dice.int(20, 300) * 100;
        const net = Math.round(gross / 1.2);
        const invoice: InvoiceInput = {
          number: next("F2025-"),
          direction: "customer",
          type: "invoice",
          issueDate,
          dueDate,
          currency: "EUR",
          customer: customer.id,
          lines: [],
          netTotal: net,
          vatTotal: gross - net,
          grossTotal: gross,
          prepaid: 0,
          amountDue: gross,
        };
        invoices.push(invoice);
        // A late payer's old debts are in dispute: never paid here.
        this.record(invoice, true, customer.habit === "late");
      }
    }
    return invoices;
  }

  /** The goods of this order never left: its invoice is disputed, not paid. */
  dispute(order: string): void {
    this.#disputed.add(order);
  }

  invoiced(invoice: InvoiceInput): void {
    this.record(
      invoice,
      false,
      invoice.orderRef !== undefined && this.#disputed.has(invoice.orderRef),
    );
  }

  /** Now and then a commercial discount on a recent invoice nobody paid yet: a credit note without lines. */
  creditNote(date: string, next: (prefix: string) => string): InvoiceInput | undefined {
    const candidates = this.#issued.filter(
      (invoice) =>
        !invoice.opening &&
        !invoice.split &&
        !invoice.disputed &&
        invoice.issueDate >= addDays(date, -20) &&
        this.books.balance(invoice.number) === invoice.amountDue,
    );
    if (candidates.length === 0) return undefined;
    const target = this.dice.pick(candidates);
    const gross = Math.max(100, Math.round(target.amountDue / 10));
    const net = Math.round(gross / 1.2);
    const number = next("AV2026-");
    this.books.creditNote({
      number,
      customer: target.customer,
      issueDate: date,
      amount: gross,
      preceding: target.number,
    });
    return {
      number,
      direction: "customer",
      type: "credit-note",
      issueDate: date,
      currency: "EUR",
      customer: target.customer,
      precedingInvoice: target.number,
      lines: [],
      netTotal: net,
      vatTotal: gross - net,
      grossTotal: gross,
      prepaid: 0,
      amountDue: gross,
    };
  }

  /** The bank's lines of the day, each applied to the books as it comes. */
  due(date: string, next: (prefix: string) => string): HistoryPayment[] {
    const out: HistoryPayment[] = [];
    const pay = (
      customer: HistoryCustomer | null,
      amount: number,
      label: string,
      reference?: string,
    ) => {
      const payment: HistoryPayment = {
        id: next(`BNK-${date.replaceAll("-", "")}-`),
        date,
        amount,
        label,
        ...(reference && this.dice.chance(0.5) ? { reference } : {}),
        payer: customer?.name ?? STRANGER,
      };
      this.books.pay({
        id: payment.id,
        date,
        amount,
        customer: customer?.id ?? null,
        references: reference ? [reference] : [],
      });
      out.push(payment);
    };
    for (const plan of this.#plans.get(date) ?? []) {
      const balance = this.books.balance(plan.invoice);
      if (balance <= 0) continue;
      let amount = balance;
      if (plan.kind === "part")
        amount = Math.max(100, Math.round(balance * (0.4 + 0.2 * this.dice.next())));
      if (plan.kind === "first-instalment") amount = Math.min(balance, plan.firstPart ?? balance);
      // Once, a transfer 0.40 short of the invoice: within the tolerance, written off.
      if (
        plan.kind === "full" &&
        !this.#shortPaid &&
        plan.customer.habit === "on-time" &&
        date >= addDays(this.start, 20)
      ) {
        this.#shortPaid = true;
        amount -= 40;
      }
      const name = plan.customer.name.toUpperCase();
      pay(plan.customer, amount, `VIR SEPA ${name} FACT ${plan.invoice}`, plan.invoice);
    }
    if (date === statementDay(date, 10) || date === statementDay(date, 25)) {
      for (const customer of this.customers.filter((c) => c.habit === "statement")) {
        const owed = this.books
          .openInvoices(customer.id)
          .filter((invoice) => invoice.dueDate <= date);
        let amount = owed.reduce((sum, invoice) => sum + invoice.balance, 0);
        const last = owed.at(-1);
        // Sometimes the statement is paid short: the last invoice keeps half its balance.
        if (last && last.balance >= 400 && this.dice.chance(0.35))
          amount -= Math.floor(last.balance / 2);
        if (amount > 0)
          pay(customer, amount, `VIR ${customer.name.toUpperCase()} REGLEMENT RELEVE`);
      }
    }
    if (date === weekdayFrom(addDays(this.start, 40))) pay(null, 45_000, "VIR SCI LES TILLEULS");
    const advancer = this.customers.find((c) => c.habit === "on-time");
    if (advancer && date === weekdayFrom(addDays(this.end, -6))) {
      const owed = this.books
        .openInvoices(advancer.id)
        .reduce((sum, invoice) => sum + invoice.balance, 0);
      pay(advancer, owed + 30_000, `VIR ${advancer.name.toUpperCase()} ACOMPTE COMMANDE`);
    }
    return out;
  }

  private record(invoice: InvoiceInput, opening: boolean, disputed: boolean): void {
    const customer = this.customers.find((c) => c.id === invoice.customer) as HistoryCustomer;
    const parts = invoice.instalments ?? [];
    this.books.addInvoice({
      number: invoice.number,
      customer: customer.id,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate as string,
      amountDue: invoice.amountDue,
      ...(parts.length > 1 ? { parts } : {}),
    });
    this.#issued.push({
      number: invoice.number,
      customer: customer.id,
      issueDate: invoice.issueDate,
      amountDue: invoice.amountDue,
      split: parts.length > 1,
      opening,
      disputed,
    });
    if (disputed || customer.habit === "statement") return;
    const plan = (kind: Plan["kind"], date: string, firstPart?: number) => {
      // Old debts taken over are paid from the start on; nobody pays before the invoice exists.
      let day = date < addDays(invoice.issueDate, 1) ? addDays(invoice.issueDate, 1) : date;
      if (opening && day <= this.start) day = addDays(this.start, this.dice.int(1, 15));
      day = weekdayFrom(day);
      if (day > this.end) return;
      const list = this.#plans.get(day) ?? [];
      list.push({ invoice: invoice.number, customer, kind, ...(firstPart ? { firstPart } : {}) });
      this.#plans.set(day, list);
    };
    if (parts.length > 1) {
      parts.forEach((part, index) => {
        const date = addDays(part.dueDate, delay(this.dice, customer.habit));
        if (index === 0) plan("first-instalment", date, part.amount);
        else plan("full", date);
      });
      return;
    }
    const due = invoice.dueDate as string;
    if (customer.habit === "on-time") plan("full", addDays(due, -this.dice.int(0, 7)));
    else if (customer.habit === "late") plan("full", addDays(due, this.dice.int(5, 45)));
    else if (this.dice.chance(0.6)) {
      plan("part", addDays(due, this.dice.int(0, 10)));
      plan("full", addDays(due, this.dice.int(20, 50)));
    } else plan("full", addDays(due, this.dice.int(0, 15)));
  }
}

/** Days from the due date to payment, by habit (negative: early). */
function delay(dice: Dice, habit: PayerHabit): number {
  if (habit === "on-time") return -dice.int(0, 5);
  if (habit === "late") return dice.int(5, 30);
  return dice.int(0, 10);
}

/** Statement payers pay on the first weekday from the `dayOfMonth` of the month of `date`. */
function statementDay(date: string, dayOfMonth: number): string {
  return weekdayFrom(`${date.slice(0, 8)}${String(dayOfMonth).padStart(2, "0")}`);
}

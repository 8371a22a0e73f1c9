import { type Clock, type Payment, systemClock } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import { prepared } from "../store/prepared.js";
import type { InvoiceCursor } from "./invoice-cursor.js";
import { type PaymentRecord, paymentRecords } from "./payment-records.js";
import { RECEIVABLES_SCHEMA } from "./tables.js";

/** How an allocation was decided: the cash-application rules (payments/cash-application.ts). */
export type CashRule =
  | "label-reference"
  | "oldest-due"
  | "tolerance-underpayment"
  | "tolerance-overpayment";

/** A customer invoice still owed, as cash application sees it. */
export interface OpenInvoice {
  number: string;
  /** What is still owed, > 0. */
  balance: number;
  dueDate: string;
  issueDate: string;
}

/** The change conflicts with what is stored (HTTP 409); nothing was written. */
export class ReceivablesConflictError extends Error {
  override name = "ReceivablesConflictError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** What the change names does not exist (HTTP 404); nothing was written. */
export class ReceivablesNotFoundError extends Error {
  override name = "ReceivablesNotFoundError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** A business rule refused the change (HTTP 422); nothing was written. */
export class ReceivablesRuleError extends Error {
  override name = "ReceivablesRuleError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface InvoiceRow {
  direction: "customer" | "supplier";
  seller: string;
  number: string;
  type: "invoice" | "credit-note";
  customer: string | null;
  supplier: string | null;
  issue_date: string;
  due_date: string;
  currency: string;
  order_ref: string | null;
  preceding: string | null;
  net_total: number;
  gross_total: number;
  amount_due: number;
  revision: number;
  recorded_at: string;
  updated_at: string;
}

/** An invoice as the API lists it: header, what is still open, and whether any of it is late. */
export interface InvoiceSummary {
  number: string;
  direction: "customer" | "supplier";
  type: "invoice" | "credit-note";
  customer: string | null;
  supplier: string | null;
  issueDate: string;
  dueDate: string;
  currency: string;
  orderRef: string | null;
  precedingInvoice: string | null;
  amountDue: number;
  /** Customer invoices: still owed; credit notes: credit not yet used. Supplier invoices: the amount due. */
  openBalance: number;
  overdue: number;
  status: "open" | "paid";
  revision: number;
}

export interface AllocationRecord {
  letter: string;
  source: "payment" | "credit-note" | "write-off";
  sourceId: string;
  invoice: string | null;
  amount: number;
  rule: CashRule | "credit-note";
  by: Actor;
  at: string;
}

/** An amount owed by a customer, per instalment, as of a date. */
export interface OpenItem {
  invoice: string;
  part: number;
  dueDate: string;
  issueDate: string;
  open: number;
  /** Whole days past due as of the date asked; 0 or less when not yet due. */
  daysOverdue: number;
}

export interface UnappliedCredit {
  kind: "payment" | "credit-note";
  /** null: a payment nobody could be identified for. */
  customer: string | null;
  id: string;
  date: string;
  amount: number;
}

export interface PaymentResult {
  payment: Payment;
  customer: string | null;
  letter: string | null;
  allocations: AllocationRecord[];
  unapplied: number;
}

const DAY_MS = 86_400_000;

/**
 * The read side of receivables: balances are computed from the amounts due
 * and the live allocations, never stored, so an undone match restores them.
 */
export class ReceivablesQueries {
  private readonly clock: Clock;

  constructor(
    private readonly db: Database.Database,
    options: { clock?: Clock } = {},
  ) {
    this.db.exec(RECEIVABLES_SCHEMA);
    this.clock = options.clock ?? systemClock;
  }

  /** Invoices, newest first, with their open balance; filtered by customer and status. */
  invoices(
    filter: {
      customer?: string;
      direction?: "customer" | "supplier";
      status?: "open" | "paid" | "overdue";
    } = {},
  ): InvoiceSummary[] {
    const rows = this.db
      .prepare<{ customer: string | null; direction: string | null }, InvoiceRow>(
        `SELECT * FROM invoices WHERE (@customer IS NULL OR customer = @customer)
           AND (@direction IS NULL OR direction = @direction)
         ORDER BY issue_date DESC, number DESC`,
      )
      .all({ customer: filter.customer ?? null, direction: filter.direction ?? null });
    const today = this.today();
    return rows
      .map((row) => this.toSummary(row, today))
      .filter((invoice) => {
        if (filter.status === "open") return invoice.status === "open";
        if (filter.status === "paid") return invoice.status === "paid";
        if (filter.status === "overdue") return invoice.overdue > 0;
        return true;
      });
  }

  /**
   * One page of `invoices()`: at most `limit`, after the `before` cursor
   * (keyset: a page stays right while invoices arrive). Rows are read
   * lazily and stop once the page is full, so a request costs its page, not
   * the whole ledger of invoices. `next` is set when the page is full.
   */
  invoicePage(
    filter: {
      customer?: string;
      direction?: "customer" | "supplier";
      status?: "open" | "paid" | "overdue";
    },
    page: { limit: number; before?: InvoiceCursor },
  ): { invoices: InvoiceSummary[]; next: InvoiceCursor | null } {
    const [d, n, r] = page.before ?? [null, null, null];
    const rows = this.db
      .prepare<Record<string, string | number | null>, InvoiceRow & { row_id: number }>(
        `SELECT *, rowid AS row_id FROM invoices WHERE (@customer IS NULL OR customer = @customer)
           AND (@direction IS NULL OR direction = @direction)
           AND (@d IS NULL OR (issue_date, number, rowid) < (@d, @n, @r))
         ORDER BY issue_date DESC, number DESC, rowid DESC`,
      )
      .iterate({
        customer: filter.customer ?? null,
        direction: filter.direction ?? null,
        d,
        n,
        r,
      });
    const today = this.today();
    const invoices: InvoiceSummary[] = [];
    let last: InvoiceCursor | null = null;
    for (const row of rows) {
      const invoice = this.toSummary(row, today);
      const keep =
        filter.status === "open"
          ? invoice.status === "open"
          : filter.status === "paid"
            ? invoice.status === "paid"
            : filter.status === "overdue"
              ? invoice.overdue > 0
              : true;
      if (!keep) continue;
      invoices.push(invoice);
      last = [row.issue_date, row.number, row.row_id];
      if (invoices.length === page.limit) {
        rows.return?.();
        return { invoices, next: last };
      }
    }
    return { invoices, next: null };
  }

  summary(direction: string, seller: string, number: string): InvoiceSummary | undefined {
    const row = this.row(direction, seller, number);
    return row ? this.toSummary(row, this.today()) : undefined;
  }

  /** The customer's open invoices (not credit notes), as cash application sees them. */
  openInvoices(customer: string): OpenInvoice[] {
    return prepared<[string], OpenInvoiceRow>(
      this.db,
      `SELECT i.number, ${BALANCE} AS balance, i.due_date, i.issue_date
         FROM invoices i WHERE i.direction = 'customer' AND i.type = 'invoice' AND i.customer = ?`,
    )
      .all(customer)
      .filter((row) => row.balance > 0)
      .map(toOpenInvoice);
  }

  /**
   * What the customer owes, per instalment, with days past due as of `asOf`
   * (a date): allocations settle an invoice's instalments in due order.
   */
  openItems(
    customer: string,
    asOf: string = this.today(),
    /** The customer's `openInvoices`, when the caller read them already. */
    invoices: readonly OpenInvoice[] = this.openInvoices(customer),
  ): OpenItem[] {
    if (invoices.length === 0) return [];
    // Every invoice's instalments in one query: a customer may have many open invoices.
    const parts = new Map<string, InstalmentRow[]>();
    for (const row of prepared<[string], InstalmentRow & { number: string }>(
      this.db,
      `SELECT number, part, due_date, amount FROM invoice_instalments
         WHERE direction = 'customer' AND seller = '' AND number IN (SELECT value FROM json_each(?))
         ORDER BY number, due_date, part`,
    ).all(JSON.stringify(invoices.map((invoice) => invoice.number)))) {
      const list = parts.get(row.number);
      if (list) list.push(row);
      else parts.set(row.number, [row]);
    }
    return invoices
      .flatMap((invoice) => openPartsOf(invoice, parts.get(invoice.number) ?? [], asOf))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoice.localeCompare(b.invoice));
  }

  /** One open invoice's instalments still owed: payments settle them in due order. */
  private openParts(invoice: OpenInvoice, asOf: string): OpenItem[] {
    const parts = prepared<[string], InstalmentRow>(
      this.db,
      `SELECT part, due_date, amount FROM invoice_instalments
         WHERE direction = 'customer' AND seller = '' AND number = ? ORDER BY due_date, part`,
    ).all(invoice.number);
    return openPartsOf(invoice, parts, asOf);
  }

  /**
   * Payments not fully applied and credit notes not fully used: credit the
   * customer already has. Without a customer: everyone's, and the payments
   * nobody could be identified for.
   */
  unappliedCredits(customer?: string): UnappliedCredit[] {
    type Row = { id: string; customer: string | null; date: string; open: number };
    const params: Record<string, string> = customer === undefined ? {} : { customer };
    // The customer condition only when there is one: "@customer IS NULL OR …" keeps
    // SQLite from the customer index, and one customer's credit is asked at every payment.
    const payments = prepared<typeof params, Row>(
      this.db,
      `SELECT p.id, p.customer, p.date, p.amount - COALESCE((SELECT SUM(a.amount) FROM allocations a
             WHERE a.source = 'payment' AND a.source_id = p.id AND a.undone_at IS NULL), 0) AS open
         FROM payments p ${customer === undefined ? "" : "WHERE p.customer = @customer"} ORDER BY p.date, p.id`,
    ).all(params);
    const notes = prepared<typeof params, Row>(
      this.db,
      `SELECT i.number AS id, i.customer, i.issue_date AS date, i.amount_due - COALESCE((SELECT SUM(a.amount)
             FROM allocations a WHERE a.source = 'credit-note' AND a.source_id = i.number
             AND a.undone_at IS NULL), 0) AS open
         FROM invoices i WHERE i.direction = 'customer' AND i.type = 'credit-note'
           ${customer === undefined ? "" : "AND i.customer = @customer"}
         ORDER BY i.issue_date, i.number`,
    ).all(params);
    return [
      ...payments.map((row) => ({ kind: "payment" as const, ...row })),
      ...notes.map((row) => ({ kind: "credit-note" as const, ...row })),
    ]
      .filter((row) => row.open > 0)
      .map((row) => ({
        kind: row.kind,
        customer: row.customer,
        id: row.id,
        date: row.date,
        amount: row.open,
      }));
  }

  /** Payments as recorded with their allocations (undone ones marked), oldest first; one customer's or all. */
  payments(filter: { customer?: string } = {}): PaymentRecord[] {
    return paymentRecords(this.db, filter);
  }

  /** One payment with its allocations, however it came in (POST /payments or a file import). */
  payment(id: string): PaymentRecord | undefined {
    return paymentRecords(this.db, { id })[0];
  }

  /** Every allocation of a matching group, undone ones included. */
  allocations(
    filter: { letter?: string; invoice?: string; sourceId?: string } = {},
  ): AllocationRecord[] {
    return prepared<
      { letter: string | null; invoice: string | null; sourceId: string | null },
      AllocationDbRow
    >(
      this.db,
      `SELECT * FROM allocations WHERE (@letter IS NULL OR letter = @letter)
           AND (@invoice IS NULL OR invoice = @invoice) AND (@sourceId IS NULL OR source_id = @sourceId)
         ORDER BY id`,
    )
      .all({
        letter: filter.letter ?? null,
        invoice: filter.invoice ?? null,
        sourceId: filter.sourceId ?? null,
      })
      .map(toAllocation);
  }

  /** The order references (BT-13) of the customer's invoices: orders and counter sales invoiced. */
  invoicedOrderRefs(customer: string): Set<string> {
    const rows = prepared<[string], { order_ref: string }>(
      this.db,
      `SELECT DISTINCT order_ref FROM invoices WHERE direction = 'customer' AND customer = ?
           AND order_ref IS NOT NULL`,
    ).all(customer);
    return new Set(rows.map((row) => row.order_ref));
  }

  /** What is matched against the invoice (or used of the credit note), undone matches aside. */
  matchedAmount(row: InvoiceRow): number {
    if (row.direction !== "customer") return 0;
    const sql =
      row.type === "credit-note"
        ? "SELECT COALESCE(SUM(amount), 0) AS total FROM allocations WHERE source = 'credit-note' AND source_id = ? AND undone_at IS NULL"
        : "SELECT COALESCE(SUM(amount), 0) AS total FROM allocations WHERE invoice = ? AND undone_at IS NULL";
    return (
      prepared<[string], { total: number }>(this.db, sql).get(row.number) as { total: number }
    ).total;
  }

  /** The live matching groups (letters) an invoice or credit note is in. */
  lettersOf(row: InvoiceRow): string[] {
    return prepared<[string, string], { letter: string }>(
      this.db,
      "SELECT DISTINCT letter FROM allocations WHERE (invoice = ? OR source_id = ?) AND undone_at IS NULL",
    )
      .all(row.number, row.number)
      .map((r) => r.letter);
  }

  /** The stored row of one invoice; undefined when not recorded. */
  row(direction: string, seller: string, number: string): InvoiceRow | undefined {
    return prepared<[string, string, string], InvoiceRow>(
      this.db,
      "SELECT * FROM invoices WHERE direction = ? AND seller = ? AND number = ?",
    ).get(direction, seller, number);
  }

  private toSummary(row: InvoiceRow, today: string): InvoiceSummary {
    const matched = this.matchedAmount(row);
    const openBalance = row.amount_due - matched;
    const overdue =
      row.direction === "customer" && row.type === "invoice" && row.customer && openBalance > 0
        ? this.openParts(
            {
              number: row.number,
              balance: openBalance,
              dueDate: row.due_date,
              issueDate: row.issue_date,
            },
            today,
          )
            .filter((item) => item.daysOverdue > 0)
            .reduce((sum, item) => sum + item.open, 0)
        : 0;
    return {
      number: row.number,
      direction: row.direction,
      type: row.type,
      customer: row.customer,
      supplier: row.supplier,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      currency: row.currency,
      orderRef: row.order_ref,
      precedingInvoice: row.preceding,
      amountDue: row.amount_due,
      openBalance,
      overdue,
      status: openBalance > 0 ? "open" : "paid",
      revision: row.revision,
    };
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}

export interface AllocationDbRow {
  letter: string;
  source: AllocationRecord["source"];
  source_id: string;
  invoice: string | null;
  amount: number;
  rule: AllocationRecord["rule"];
  by_kind: Actor["kind"];
  by_id: string;
  at: string;
}

export function toAllocation(row: AllocationDbRow): AllocationRecord {
  return {
    letter: row.letter,
    source: row.source,
    sourceId: row.source_id,
    invoice: row.invoice,
    amount: row.amount,
    rule: row.rule,
    by: { kind: row.by_kind, id: row.by_id },
    at: row.at,
  };
}

interface OpenInvoiceRow {
  number: string;
  balance: number;
  due_date: string;
  issue_date: string;
}

/** What a customer invoice still owes: its amount due less what is matched to it. */
const BALANCE = `i.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a
  WHERE a.invoice = i.number AND a.undone_at IS NULL), 0)`;

function toOpenInvoice(row: OpenInvoiceRow): OpenInvoice {
  return {
    number: row.number,
    balance: row.balance,
    dueDate: row.due_date,
    issueDate: row.issue_date,
  };
}

interface InstalmentRow {
  part: number;
  due_date: string;
  amount: number;
}

/** An open invoice's instalments (in due order) still owed: payments settle them in due order. */
function openPartsOf(
  invoice: OpenInvoice,
  parts: readonly InstalmentRow[],
  asOf: string,
): OpenItem[] {
  const items: OpenItem[] = [];
  const total = parts.reduce((sum, part) => sum + part.amount, 0);
  // Paid so far: what the parts add up to, less what is still open.
  let paid = total - invoice.balance;
  for (const part of parts) {
    const settled = Math.min(paid, part.amount);
    paid -= settled;
    const open = part.amount - settled;
    if (open <= 0) continue;
    items.push({
      invoice: invoice.number,
      part: part.part,
      dueDate: part.due_date,
      issueDate: invoice.issueDate,
      open,
      daysOverdue: Math.floor(
        (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${part.due_date}T00:00:00Z`)) / DAY_MS,
      ),
    });
  }
  return items;
}

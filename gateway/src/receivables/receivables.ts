import {
  type Clock,
  type Invoice,
  InvoiceSchema,
  type Payment,
  PaymentSchema,
  systemClock,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { Catalog } from "../store/catalog.js";
import {
  type CashRule,
  letterCode,
  type OpenInvoice,
  planCashApplication,
  referencedInvoices,
} from "./cash-application.js";
import { RECEIVABLES_SCHEMA } from "./tables.js";

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
 * Customer and supplier invoices, payments and their allocations. Every
 * change commits with its gateway-ledger entry in one transaction, and says
 * which customers' exposure it changed (the credit side republishes them).
 */
export class Receivables {
  private readonly clock: Clock;
  private readonly tolerance: number;
  private readonly currency: string;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    private readonly catalog: Catalog,
    options: { clock?: Clock; writeOffTolerance?: number; currency?: string } = {},
  ) {
    this.db.exec(RECEIVABLES_SCHEMA);
    this.clock = options.clock ?? systemClock;
    this.tolerance = options.writeOffTolerance ?? 100;
    this.currency = options.currency ?? "EUR";
  }

  /**
   * Records an invoice or credit note. The same number again is a conflict
   * unless `update` is set (its own "invoice.updated" entry). A customer
   * credit note is applied at once to the invoice it names, as far as that
   * invoice is open; the rest stays as unapplied credit.
   */
  recordInvoice(
    input: unknown,
    actor: Actor,
    options: { update?: boolean } = {},
  ): { invoice: InvoiceSummary; updated: boolean; allocations: AllocationRecord[] } {
    const invoice = InvoiceSchema.parse(input);
    const seller = invoice.direction === "customer" ? "" : (invoice.supplier ?? "");
    const now = this.clock.now().toISOString();
    return this.db.transaction(() => {
      if (invoice.direction === "customer") this.checkCustomerInvoice(invoice);
      const before = this.row(invoice.direction, seller, invoice.number);
      if (before && !options.update) {
        throw new ReceivablesConflictError(
          `${invoice.direction} invoice ${invoice.number} is already recorded — send it with ?update=true to replace it`,
          "number",
        );
      }
      if (!before && options.update) {
        throw new ReceivablesConflictError(
          `no ${invoice.direction} invoice ${invoice.number} to update: record it without ?update=true`,
          "number",
        );
      }
      if (before) this.checkUpdate(before, invoice);
      const dueDate = invoice.dueDate ?? this.defaultDueDate(invoice);
      this.db
        .prepare(
          `INSERT INTO invoices (direction, seller, number, type, customer, supplier, issue_date, due_date,
             currency, order_ref, despatch_ref, preceding, net_total, vat_total, gross_total, prepaid,
             amount_due, source, document, revision, recorded_at, updated_at)
           VALUES (@direction, @seller, @number, @type, @customer, @supplier, @issueDate, @dueDate,
             @currency, @orderRef, @despatchRef, @preceding, @netTotal, @vatTotal, @grossTotal, @prepaid,
             @amountDue, @source, @document, 1, @now, @now)
           ON CONFLICT (direction, seller, number) DO UPDATE SET type = excluded.type,
             customer = excluded.customer, supplier = excluded.supplier, issue_date = excluded.issue_date,
             due_date = excluded.due_date, currency = excluded.currency, order_ref = excluded.order_ref,
             despatch_ref = excluded.despatch_ref, preceding = excluded.preceding,
             net_total = excluded.net_total, vat_total = excluded.vat_total,
             gross_total = excluded.gross_total, prepaid = excluded.prepaid,
             amount_due = excluded.amount_due, source = excluded.source, document = excluded.document,
             revision = revision + 1, updated_at = excluded.updated_at`,
        )
        .run({
          direction: invoice.direction,
          seller,
          number: invoice.number,
          type: invoice.type,
          customer: invoice.customer ?? null,
          supplier: invoice.supplier ?? null,
          issueDate: invoice.issueDate,
          dueDate,
          currency: invoice.currency,
          orderRef: invoice.orderRef ?? null,
          despatchRef: invoice.despatchRef ?? null,
          preceding: invoice.precedingInvoice ?? null,
          netTotal: invoice.netTotal,
          vatTotal: invoice.vatTotal,
          grossTotal: invoice.grossTotal,
          prepaid: invoice.prepaid,
          amountDue: invoice.amountDue,
          source: invoice.source?.format ?? "json",
          document: JSON.stringify(invoice),
          now,
        });
      this.writeParts(invoice, seller, dueDate);
      const key = { direction: invoice.direction, number: invoice.number };
      const allocations =
        invoice.direction === "customer" && invoice.type === "credit-note"
          ? this.applyCreditNote(invoice, actor, now)
          : [];
      this.ledger.record(
        before ? "invoice.updated" : "invoice.recorded",
        {
          invoice,
          dueDate,
          ...(before
            ? { before: { revision: before.revision, amountDue: before.amount_due } }
            : {}),
          ...(allocations.length > 0 ? { allocations } : {}),
        },
        actor,
      );
      return {
        invoice: this.summary(key.direction, seller, key.number) as InvoiceSummary,
        updated: before !== undefined,
        allocations,
      };
    })();
  }

  /**
   * Records a payment and applies it (cash application), all in one
   * transaction with its "payment.recorded" entry. The same id again is a
   * conflict. Without a customer, the invoices its label names, or a payer
   * name equal to one customer's, tell whose it is; otherwise it stays
   * unapplied and unidentified.
   */
  recordPayment(input: unknown, actor: Actor): PaymentResult {
    const payment = PaymentSchema.parse(input);
    const now = this.clock.now().toISOString();
    return this.db.transaction(() => {
      if (this.db.prepare("SELECT 1 FROM payments WHERE id = ?").get(payment.id)) {
        throw new ReceivablesConflictError(`payment ${payment.id} is already recorded`, "id");
      }
      if (payment.currency !== this.currency) {
        throw new ReceivablesRuleError(
          `the site keeps receivables in ${this.currency}, not ${payment.currency}`,
          "currency",
        );
      }
      if (payment.customer && !this.catalog.customer(payment.customer)) {
        throw new ReceivablesRuleError(
          `no customer ${payment.customer}: create it first (POST /api/v1/customers)`,
          "customer",
        );
      }
      const text = `${payment.label} ${payment.reference ?? ""}`;
      const customer = payment.customer ?? this.identifyPayer(text, payment.payer);
      this.db
        .prepare(
          `INSERT INTO payments (id, date, amount, currency, label, reference, customer, payer, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          payment.id,
          payment.date,
          payment.amount,
          payment.currency,
          payment.label,
          payment.reference ?? null,
          customer,
          payment.payer ?? null,
          now,
        );
      let allocations: AllocationRecord[] = [];
      let letter: string | null = null;
      let unapplied = payment.amount;
      if (customer) {
        const plan = planCashApplication(
          payment.amount,
          text,
          this.openInvoices(customer),
          this.tolerance,
        );
        if (plan.allocations.length > 0) {
          letter = this.nextLetter();
          allocations = plan.allocations.map((planned) =>
            this.allocate({
              letter: letter as string,
              source: planned.writeOff && planned.invoice !== null ? "write-off" : "payment",
              sourceId: payment.id,
              invoice: planned.invoice,
              customer,
              amount: planned.amount,
              rule: planned.rule,
              by: actor,
              at: now,
            }),
          );
        }
        unapplied = plan.unapplied;
      }
      this.ledger.record(
        "payment.recorded",
        { payment, customer, letter, allocations, unapplied, tolerance: this.tolerance },
        actor,
      );
      return { payment, customer, letter, allocations, unapplied };
    })();
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

  summary(direction: string, seller: string, number: string): InvoiceSummary | undefined {
    const row = this.row(direction, seller, number);
    return row ? this.toSummary(row, this.today()) : undefined;
  }

  /** The customer's open invoices (not credit notes), as cash application sees them. */
  openInvoices(customer: string): OpenInvoice[] {
    return this.db
      .prepare<[string], { number: string; balance: number; due_date: string; issue_date: string }>(
        `SELECT i.number, i.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a
             WHERE a.invoice = i.number AND a.undone_at IS NULL), 0) AS balance, i.due_date, i.issue_date
         FROM invoices i WHERE i.direction = 'customer' AND i.type = 'invoice' AND i.customer = ?`,
      )
      .all(customer)
      .filter((row) => row.balance > 0)
      .map((row) => ({
        number: row.number,
        balance: row.balance,
        dueDate: row.due_date,
        issueDate: row.issue_date,
      }));
  }

  /**
   * What the customer owes, per instalment, with days past due as of `asOf`
   * (a date): allocations settle an invoice's instalments in due order.
   */
  openItems(customer: string, asOf: string = this.today()): OpenItem[] {
    return this.openInvoices(customer)
      .flatMap((invoice) => this.openParts(invoice, asOf))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoice.localeCompare(b.invoice));
  }

  /** One open invoice's instalments still owed: payments settle them in due order. */
  private openParts(invoice: OpenInvoice, asOf: string): OpenItem[] {
    const items: OpenItem[] = [];
    const parts = this.db
      .prepare<[string], { part: number; due_date: string; amount: number }>(
        `SELECT part, due_date, amount FROM invoice_instalments
         WHERE direction = 'customer' AND seller = '' AND number = ? ORDER BY due_date, part`,
      )
      .all(invoice.number);
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

  /**
   * Payments not fully applied and credit notes not fully used: credit the
   * customer already has. Without a customer: everyone's, and the payments
   * nobody could be identified for.
   */
  unappliedCredits(customer?: string): UnappliedCredit[] {
    type Row = { id: string; customer: string | null; date: string; open: number };
    const params = { customer: customer ?? null };
    const payments = this.db
      .prepare<typeof params, Row>(
        `SELECT p.id, p.customer, p.date, p.amount - COALESCE((SELECT SUM(a.amount) FROM allocations a
             WHERE a.source = 'payment' AND a.source_id = p.id AND a.undone_at IS NULL), 0) AS open
         FROM payments p WHERE (@customer IS NULL OR p.customer = @customer) ORDER BY p.date, p.id`,
      )
      .all(params);
    const notes = this.db
      .prepare<typeof params, Row>(
        `SELECT i.number AS id, i.customer, i.issue_date AS date, i.amount_due - COALESCE((SELECT SUM(a.amount)
             FROM allocations a WHERE a.source = 'credit-note' AND a.source_id = i.number
             AND a.undone_at IS NULL), 0) AS open
         FROM invoices i WHERE i.direction = 'customer' AND i.type = 'credit-note'
           AND (@customer IS NULL OR i.customer = @customer)
         ORDER BY i.issue_date, i.number`,
      )
      .all(params);
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

  /** Every allocation of a matching group, undone ones included. */
  allocations(
    filter: { letter?: string; invoice?: string; sourceId?: string } = {},
  ): AllocationRecord[] {
    return this.db
      .prepare<
        { letter: string | null; invoice: string | null; sourceId: string | null },
        AllocationDbRow
      >(
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
    const rows = this.db
      .prepare<[string], { order_ref: string }>(
        `SELECT DISTINCT order_ref FROM invoices WHERE direction = 'customer' AND customer = ?
           AND order_ref IS NOT NULL`,
      )
      .all(customer);
    return new Set(rows.map((row) => row.order_ref));
  }

  /** Net totals of the customer's invoices per order reference ('' for none), for shipped-not-invoiced. */
  invoicedNetByOrder(
    customer: string,
  ): { orderRef: string | null; issueDate: string; net: number }[] {
    return this.db
      .prepare<[string], { order_ref: string | null; issue_date: string; net_total: number }>(
        `SELECT order_ref, issue_date, net_total FROM invoices
         WHERE direction = 'customer' AND type = 'invoice' AND customer = ?`,
      )
      .all(customer)
      .map((row) => ({ orderRef: row.order_ref, issueDate: row.issue_date, net: row.net_total }));
  }

  private checkCustomerInvoice(invoice: Invoice): void {
    if (invoice.currency !== this.currency) {
      throw new ReceivablesRuleError(
        `the site keeps receivables in ${this.currency}, not ${invoice.currency}`,
        "currency",
      );
    }
    if (invoice.customer && !this.catalog.customer(invoice.customer)) {
      throw new ReceivablesRuleError(
        `no customer ${invoice.customer}: create it first (POST /api/v1/customers)`,
        "customer",
      );
    }
    if (invoice.type === "credit-note" && invoice.precedingInvoice) {
      const original = this.row("customer", "", invoice.precedingInvoice);
      if (original && original.customer !== invoice.customer) {
        throw new ReceivablesRuleError(
          `credit note ${invoice.number} is for ${invoice.customer} but invoice ${invoice.precedingInvoice} is ${original.customer}'s`,
          "precedingInvoice",
        );
      }
    }
  }

  /** An update may not take away what was already matched against the invoice. */
  private checkUpdate(before: InvoiceRow, invoice: Invoice): void {
    const matched = this.matchedAmount(before);
    if (matched === 0) return;
    if (invoice.customer !== (before.customer ?? undefined) || invoice.type !== before.type) {
      throw new ReceivablesRuleError(
        `invoice ${invoice.number} has ${matched} minor units matched (letters ${this.lettersOf(before).join(", ")}): undo the matches before changing its customer or type`,
        "customer",
      );
    }
    if (invoice.amountDue < matched) {
      throw new ReceivablesRuleError(
        `invoice ${invoice.number} already has ${matched} matched, more than the new amount due ${invoice.amountDue}: undo matches first`,
        "amountDue",
      );
    }
  }

  private matchedAmount(row: InvoiceRow): number {
    if (row.direction !== "customer") return 0;
    const sql =
      row.type === "credit-note"
        ? "SELECT COALESCE(SUM(amount), 0) AS total FROM allocations WHERE source = 'credit-note' AND source_id = ? AND undone_at IS NULL"
        : "SELECT COALESCE(SUM(amount), 0) AS total FROM allocations WHERE invoice = ? AND undone_at IS NULL";
    return (this.db.prepare<[string], { total: number }>(sql).get(row.number) as { total: number })
      .total;
  }

  private lettersOf(row: InvoiceRow): string[] {
    return this.db
      .prepare<[string, string], { letter: string }>(
        "SELECT DISTINCT letter FROM allocations WHERE (invoice = ? OR source_id = ?) AND undone_at IS NULL",
      )
      .all(row.number, row.number)
      .map((r) => r.letter);
  }

  private defaultDueDate(invoice: Invoice): string {
    const terms = invoice.customer
      ? (this.catalog.customer(invoice.customer)?.paymentTermsDays ?? 0)
      : 0;
    const due = new Date(Date.parse(`${invoice.issueDate}T00:00:00Z`) + terms * DAY_MS);
    return due.toISOString().slice(0, 10);
  }

  private writeParts(invoice: Invoice, seller: string, dueDate: string): void {
    const key = [invoice.direction, seller, invoice.number] as const;
    this.db
      .prepare("DELETE FROM invoice_lines WHERE direction = ? AND seller = ? AND number = ?")
      .run(...key);
    this.db
      .prepare("DELETE FROM invoice_instalments WHERE direction = ? AND seller = ? AND number = ?")
      .run(...key);
    const line = this.db.prepare(
      `INSERT INTO invoice_lines (direction, seller, number, line, id, gtin, sku, name, quantity, unit_code,
         unit_price, net_amount, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    invoice.lines.forEach((item, index) => {
      line.run(
        ...key,
        index + 1,
        item.id,
        item.gtin ?? null,
        item.sku ?? null,
        item.name ?? null,
        item.quantity,
        item.unitCode ?? null,
        item.unitPrice,
        item.netAmount,
        item.vatRate ?? null,
      );
    });
    const parts = invoice.instalments ?? [{ dueDate, amount: invoice.amountDue }];
    const part = this.db.prepare(
      "INSERT INTO invoice_instalments (direction, seller, number, part, due_date, amount) VALUES (?, ?, ?, ?, ?, ?)",
    );
    parts.forEach((instalment, index) => {
      part.run(...key, index + 1, instalment.dueDate, instalment.amount);
    });
  }

  private applyCreditNote(note: Invoice, actor: Actor, at: string): AllocationRecord[] {
    const preceding = note.precedingInvoice;
    if (!preceding || !note.customer) return [];
    const target = this.openInvoices(note.customer).find((invoice) => invoice.number === preceding);
    const already = this.matchedAmount(this.row("customer", "", note.number) as InvoiceRow);
    const amount = Math.min(target?.balance ?? 0, note.amountDue - already);
    if (amount <= 0) return [];
    return [
      this.allocate({
        letter: this.nextLetter(),
        source: "credit-note",
        sourceId: note.number,
        invoice: preceding,
        customer: note.customer,
        amount,
        rule: "credit-note",
        by: actor,
        at,
      }),
    ];
  }

  private identifyPayer(text: string, payer: string | undefined): string | null {
    const open = this.db
      .prepare<[], { number: string; customer: string }>(
        `SELECT number, customer FROM invoices WHERE direction = 'customer' AND type = 'invoice'
           AND customer IS NOT NULL`,
      )
      .all();
    const owner = new Map(open.map((invoice) => [invoice.number, invoice.customer]));
    const named = referencedInvoices(
      text,
      open.map((invoice) => ({ number: invoice.number, balance: 1, dueDate: "", issueDate: "" })),
    );
    const owners = new Set(named.map((number) => owner.get(number)));
    if (owners.size === 1) return [...owners][0] as string;
    if (!payer) return null;
    const byName = this.catalog
      .customers()
      .filter((customer) => customer.name.trim().toLowerCase() === payer.trim().toLowerCase());
    return byName.length === 1 ? (byName[0]?.id ?? null) : null;
  }

  private allocate(record: AllocationRecord & { customer: string }): AllocationRecord {
    this.db
      .prepare(
        `INSERT INTO allocations (letter, source, source_id, invoice, customer, amount, rule, by_kind, by_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.letter,
        record.source,
        record.sourceId,
        record.invoice,
        record.customer,
        record.amount,
        record.rule,
        record.by.kind,
        record.by.id,
        record.at,
      );
    const { customer: _customer, ...allocation } = record;
    return allocation;
  }

  private nextLetter(): string {
    const row = this.db
      .prepare<[], { value: number }>(
        `INSERT INTO receivables_counters (name, value) VALUES ('letter', 0)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get() as { value: number };
    return letterCode(row.value);
  }

  private row(direction: string, seller: string, number: string): InvoiceRow | undefined {
    return this.db
      .prepare<[string, string, string], InvoiceRow>(
        "SELECT * FROM invoices WHERE direction = ? AND seller = ? AND number = ?",
      )
      .get(direction, seller, number);
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

interface AllocationDbRow {
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

function toAllocation(row: AllocationDbRow): AllocationRecord {
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

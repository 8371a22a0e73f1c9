import {
  type Clock,
  type Customer,
  type Invoice,
  InvoiceSchema,
  systemClock,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { Catalog } from "../catalog/service.js";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import { allocate, nextLetter } from "./allocations.js";
import { type BatchOptions, recordBatch } from "./batch.js";
import { ReceivablesChanges } from "./changes.js";
import {
  type AllocationRecord,
  type InvoiceRow,
  type InvoiceSummary,
  ReceivablesConflictError,
  ReceivablesNotFoundError,
  ReceivablesQueries,
  ReceivablesRuleError,
} from "./queries.js";
import { assertInvoicesFit } from "./site-totals.js";

// The read side and the shared types, so importers need only this module.
export * from "./queries.js";

const DAY_MS = 86_400_000;

/**
 * The write side of customer and supplier invoices, payments and their
 * allocations; `read` answers the questions (balances, open items, pages).
 * Every change commits with its gateway-ledger entry in one transaction,
 * then tells `changes` which customers' exposure it moved (the credit
 * snapshot publisher listens there).
 */
export class Receivables {
  readonly read: ReceivablesQueries;
  readonly changes = new ReceivablesChanges();
  private readonly clock: Clock;
  private readonly currency: string;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: GatewayLedger,
    private readonly catalog: Catalog,
    options: { clock?: Clock; currency?: string } = {},
  ) {
    this.read = new ReceivablesQueries(db, options);
    this.clock = options.clock ?? systemClock;
    this.currency = options.currency ?? "EUR";
  }

  /** Records a file's invoices or payments all or nothing; listeners hear once it is committed. */
  batch<T, R>(
    items: readonly T[],
    label: (item: T, index: number) => string,
    record: (item: T) => R,
    options: Omit<BatchOptions<R>, "around">,
  ): R[] {
    return recordBatch(this.db, items, label, record, {
      ...options,
      around: (work) => this.changes.hold(work),
    });
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
    const result = this.db.transaction(() => {
      // Read once: it must exist (customer invoices), and its terms give the default due date.
      const customer = invoice.customer ? this.catalog.customer(invoice.customer) : undefined;
      if (invoice.direction === "customer") this.checkCustomerInvoice(invoice, customer);
      const before = this.read.row(invoice.direction, seller, invoice.number);
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
      assertInvoicesFit(this.db, invoice.amountDue, {
        direction: invoice.direction,
        seller,
        number: invoice.number,
      });
      const dueDate = invoice.dueDate ?? this.defaultDueDate(invoice, customer);
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
        invoice.direction !== "customer"
          ? []
          : invoice.type === "credit-note"
            ? this.applyCreditNote(invoice, actor, now)
            : this.waitingCreditNotes(invoice).flatMap((note) =>
                this.applyCreditNote(note, actor, now),
              );
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
        invoice: this.read.summary(key.direction, seller, key.number) as InvoiceSummary,
        updated: before !== undefined,
        allocations,
      };
    })();
    this.changes.tell([result.invoice.customer]);
    return result;
  }

  private checkCustomerInvoice(invoice: Invoice, customer: Customer | undefined): void {
    if (invoice.currency !== this.currency) {
      throw new ReceivablesRuleError(
        `the site keeps receivables in ${this.currency}, not ${invoice.currency}`,
        "currency",
      );
    }
    if (invoice.customer && !customer) {
      throw new ReceivablesRuleError(
        `no customer ${invoice.customer}: create it first (POST /api/v1/customers)`,
        "customer",
      );
    }
    if (invoice.type === "credit-note" && invoice.precedingInvoice) {
      const original = this.read.row("customer", "", invoice.precedingInvoice);
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
    const matched = this.read.matchedAmount(before);
    if (matched === 0) return;
    if (invoice.customer !== (before.customer ?? undefined) || invoice.type !== before.type) {
      throw new ReceivablesRuleError(
        `invoice ${invoice.number} has ${matched} minor units matched (letters ${this.read.lettersOf(before).join(", ")}): undo the matches before changing its customer or type`,
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

  private defaultDueDate(invoice: Invoice, customer: Customer | undefined): string {
    const terms = customer?.paymentTermsDays ?? 0;
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

  /** Credit notes recorded before the invoice they name (files come in any order). */
  private waitingCreditNotes(invoice: Invoice): Invoice[] {
    return this.db
      .prepare<[string, string], { document: string }>(
        `SELECT document FROM invoices WHERE direction = 'customer' AND type = 'credit-note'
           AND preceding = ? AND customer = ? ORDER BY issue_date, number`,
      )
      .all(invoice.number, invoice.customer ?? "")
      .map((row) => InvoiceSchema.parse(JSON.parse(row.document)));
  }

  private applyCreditNote(note: Invoice, actor: Actor, at: string): AllocationRecord[] {
    const preceding = note.precedingInvoice;
    if (!preceding || !note.customer) return [];
    // The one invoice it names, by its key, rather than all the customer's open invoices.
    const target = this.read.row("customer", "", preceding);
    const open =
      target?.type === "invoice" && target.customer === note.customer
        ? target.amount_due - this.read.matchedAmount(target)
        : 0;
    const already = this.read.matchedAmount(
      this.read.row("customer", "", note.number) as InvoiceRow,
    );
    const amount = Math.min(open, note.amountDue - already);
    if (amount <= 0) return [];
    return [
      allocate(this.db, {
        letter: nextLetter(this.db),
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

  /**
   * Undoes a matching group: the invoices reopen and the payments' or credit
   * notes' amounts become unapplied again. An undone match never happened,
   * for every as-of view (aged balance, dunning, DSO, exposure) whatever the
   * as-of date, even one before the undo: the rows stay, marked undone, and
   * the ledger keeps both the match and the undo (an entry of its own).
   * Returns the customers concerned.
   */
  undoLetter(
    letter: string,
    actor: Actor,
  ): { letter: string; undone: number[]; customers: string[] } {
    const result = this.db.transaction(() => {
      const group = this.db
        .prepare<[string], { id: number; customer: string | null; undone_at: string | null }>(
          "SELECT id, customer, undone_at FROM allocations WHERE letter = ? ORDER BY id",
        )
        .all(letter);
      if (group.length === 0) {
        throw new ReceivablesNotFoundError(`no matching group with letter ${letter}`, "letter");
      }
      const live = group.filter((allocation) => allocation.undone_at === null);
      if (live.length === 0) {
        throw new ReceivablesConflictError(
          `the matches of letter ${letter} were already undone`,
          "letter",
        );
      }
      this.db
        .prepare(
          "UPDATE allocations SET undone_at = ?, undone_by = ? WHERE letter = ? AND undone_at IS NULL",
        )
        .run(this.clock.now().toISOString(), `${actor.kind}:${actor.id}`, letter);
      const undone = live.map((allocation) => allocation.id);
      const customers = [
        ...new Set(
          live.flatMap((allocation) => (allocation.customer ? [allocation.customer] : [])),
        ),
      ];
      this.ledger.record("allocation.undone", { letter, allocations: undone, customers }, actor);
      return { letter, undone, customers };
    })();
    this.changes.tell(result.customers);
    return result;
  }
}

/**
 * The receivables of a generated history as the business rules define them
 * (shared business-rules.md, "Receivables"), kept by the generator itself
 * so that its answer key does not come from the code under test: a payment
 * goes first to the invoices its label names, then oldest due first; a
 * residue or an excess within the tolerance is written off; the rest is
 * unapplied credit. Credit notes settle the invoice they name at once.
 */

/** One open amount as of a date; negative for unapplied payments and credit notes. */
export interface OpenItem {
  /** null: a payment nobody could attribute to a customer. */
  customer: string | null;
  kind: "invoice" | "instalment" | "credit-note" | "payment";
  document: string;
  /** 1-based instalment number of split payment terms. */
  part?: number;
  issueDate: string;
  dueDate: string;
  open: number;
}

interface BookedInvoice {
  number: string;
  customer: string;
  issueDate: string;
  dueDate: string;
  amountDue: number;
  /** Split terms, in due order; a single part otherwise. */
  parts: { dueDate: string; amount: number }[];
  settled: number;
}

interface Credit {
  kind: "credit-note" | "payment";
  id: string;
  customer: string | null;
  date: string;
  amount: number;
  used: number;
}

export interface Application {
  /** Per invoice, what the payment settled (money or write-off). */
  settled: { invoice: string; amount: number; writeOff: boolean }[];
  /** An excess within the tolerance, kept. */
  keptExcess: number;
  unapplied: number;
}

export class HistoryReceivables {
  readonly #invoices = new Map<string, BookedInvoice>();
  readonly #credits: Credit[] = [];
  #writtenOff = 0;

  constructor(readonly tolerance = 100) {}

  /** What was written off so far: short residues (which lower the balance) less kept excesses. */
  get writtenOff(): number {
    return this.#writtenOff;
  }

  addInvoice(
    invoice: Omit<BookedInvoice, "settled" | "parts"> & { parts?: BookedInvoice["parts"] },
  ) {
    if (this.#invoices.has(invoice.number)) throw new Error(`invoice ${invoice.number} twice`);
    const parts = invoice.parts ?? [{ dueDate: invoice.dueDate, amount: invoice.amountDue }];
    this.#invoices.set(invoice.number, { ...invoice, parts, settled: 0 });
  }

  balance(number: string): number {
    const invoice = this.#invoices.get(number);
    return invoice ? invoice.amountDue - invoice.settled : 0;
  }

  /** A customer's invoices still owed, oldest due first (then oldest issued, then number). */
  openInvoices(customer: string): { number: string; dueDate: string; balance: number }[] {
    return [...this.#invoices.values()]
      .filter((invoice) => invoice.customer === customer && invoice.settled < invoice.amountDue)
      .sort(
        (a, b) =>
          a.dueDate.localeCompare(b.dueDate) ||
          a.issueDate.localeCompare(b.issueDate) ||
          a.number.localeCompare(b.number),
      )
      .map((invoice) => ({
        number: invoice.number,
        dueDate: invoice.dueDate,
        balance: invoice.amountDue - invoice.settled,
      }));
  }

  creditNote(note: {
    number: string;
    customer: string;
    issueDate: string;
    amount: number;
    preceding: string;
  }) {
    const used = Math.min(note.amount, Math.max(0, this.balance(note.preceding)));
    const target = this.#invoices.get(note.preceding);
    if (target && target.customer === note.customer) target.settled += used;
    this.#credits.push({
      kind: "credit-note",
      id: note.number,
      customer: note.customer,
      date: note.issueDate,
      amount: note.amount,
      used: target && target.customer === note.customer ? used : 0,
    });
  }

  /** Applies a payment as the rules say; `references` are the invoice numbers its label names, in order. */
  pay(payment: {
    id: string;
    date: string;
    amount: number;
    customer: string | null;
    references: readonly string[];
  }): Application {
    const settled: Application["settled"] = [];
    let remaining = payment.amount;
    const take = (number: string) => {
      const invoice = this.#invoices.get(number);
      if (!invoice || invoice.customer !== payment.customer) return;
      const part = Math.min(remaining, invoice.amountDue - invoice.settled);
      if (part <= 0) return;
      invoice.settled += part;
      remaining -= part;
      settled.push({ invoice: number, amount: part, writeOff: false });
    };
    if (payment.customer !== null) {
      for (const number of payment.references) take(number);
      for (const invoice of this.openInvoices(payment.customer)) take(invoice.number);
    }
    let keptExcess = 0;
    if (settled.length > 0 && remaining > 0 && remaining <= this.tolerance) {
      keptExcess = remaining;
      this.#writtenOff -= remaining;
      remaining = 0;
    }
    for (const number of new Set(settled.map((item) => item.invoice))) {
      const residue = this.balance(number);
      if (residue > 0 && residue <= this.tolerance) {
        (this.#invoices.get(number) as BookedInvoice).settled += residue;
        this.#writtenOff += residue;
        settled.push({ invoice: number, amount: residue, writeOff: true });
      }
    }
    this.#credits.push({
      kind: "payment",
      id: payment.id,
      customer: payment.customer,
      date: payment.date,
      amount: payment.amount,
      used: payment.amount - remaining,
    });
    return { settled, keptExcess, unapplied: remaining };
  }

  /** Every open amount now: invoices (split terms settled in due order), unapplied credit as negatives. */
  openItems(): OpenItem[] {
    const items: OpenItem[] = [];
    for (const invoice of this.#invoices.values()) {
      let paid = invoice.settled;
      invoice.parts.forEach((part, index) => {
        const covered = Math.min(paid, part.amount);
        paid -= covered;
        if (part.amount === covered) return;
        items.push({
          customer: invoice.customer,
          kind: invoice.parts.length > 1 ? "instalment" : "invoice",
          document: invoice.number,
          ...(invoice.parts.length > 1 ? { part: index + 1 } : {}),
          issueDate: invoice.issueDate,
          dueDate: part.dueDate,
          open: part.amount - covered,
        });
      });
    }
    for (const credit of this.#credits) {
      if (credit.amount === credit.used) continue;
      items.push({
        customer: credit.customer,
        kind: credit.kind,
        document: credit.id,
        issueDate: credit.date,
        dueDate: credit.date,
        open: -(credit.amount - credit.used),
      });
    }
    return items;
  }
}

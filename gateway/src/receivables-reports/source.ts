import type { Database } from "better-sqlite3";
import type { OpenAmount } from "./aging.js";
import type { SettledInvoice } from "./payer-profile.js";

/** Customer of a payment nobody could attribute yet: it still lowers the site's receivable. */
export const UNIDENTIFIED = "(unidentified)";

/**
 * The allocations that count on `asOf`: made effective on or before it and
 * never undone. An undone match never happened, for every as-of view (aged
 * balance, dunning, DSO, payer profiles) whatever the as-of date — also a
 * date between the match and its undo; the gateway ledger still records
 * both the match ("payment.recorded", "invoice.recorded") and its undo
 * ("allocation.undone"), and the row stays, marked undone.
 *
 * An allocation is effective from its source's date (a payment's own date,
 * also for the residue written off with it; a credit note's issue date) —
 * or from the invoice's issue date when that is later: a bank export booked
 * after newer invoices can give a payment's surplus to an invoice issued
 * after the payment, and until that invoice existed the surplus was
 * unapplied credit. This is what replays a past date from the receivables
 * tables: nothing is overwritten, so the state of any day can be rebuilt.
 */
const LIVE_ALLOCATIONS = `
  SELECT source, source_id, invoice, amount,
         MAX(source_date, COALESCE((SELECT i.issue_date FROM invoices i WHERE i.direction = 'customer'
                                    AND i.seller = '' AND i.number = invoice), '')) AS effective
  FROM (
    SELECT a.source, a.source_id, a.invoice, a.amount,
           CASE a.source
             WHEN 'credit-note' THEN COALESCE((SELECT c.issue_date FROM invoices c WHERE c.direction = 'customer'
                                       AND c.seller = '' AND c.number = a.source_id), substr(a.at, 1, 10))
             ELSE COALESCE((SELECT p.date FROM payments p WHERE p.id = a.source_id), substr(a.at, 1, 10)) END AS source_date
    FROM allocations a
    WHERE a.undone_at IS NULL
  )`;

interface InvoiceRow {
  number: string;
  type: "invoice" | "credit-note";
  customer: string;
  issue_date: string;
  due_date: string;
  amount_due: number;
}

/** What the live allocations of `asOf` add up to, gathered in one pass (no per-invoice query). */
interface Settlement {
  /** Per invoice: settled amount (payments, credit notes, write-offs) and the day of the last one. */
  invoices: Map<string, { amount: number; last: string }>;
  /** Per credit note and per payment (by source id): the amount used. */
  used: Map<string, number>;
}

function settlement(db: Database, asOf: string): Settlement {
  const rows = db
    .prepare<
      { asOf: string },
      {
        source: string;
        source_id: string;
        invoice: string | null;
        amount: number;
        effective: string;
      }
    >(`SELECT * FROM (${LIVE_ALLOCATIONS}) WHERE effective <= @asOf`)
    .iterate({ asOf });
  const invoices = new Map<string, { amount: number; last: string }>();
  const used = new Map<string, number>();
  for (const row of rows) {
    if (row.invoice !== null) {
      const entry = invoices.get(row.invoice) ?? { amount: 0, last: row.effective };
      entry.amount += row.amount;
      if (row.effective > entry.last) entry.last = row.effective;
      invoices.set(row.invoice, entry);
    }
    if (row.source === "payment" || row.source === "credit-note") {
      const key = `${row.source}\u0000${row.source_id}`;
      used.set(key, (used.get(key) ?? 0) + row.amount);
    }
  }
  return { invoices, used };
}

function customerInvoices(
  db: Database,
  asOf: string,
  customer: string | undefined,
  type?: "invoice",
): InvoiceRow[] {
  return db
    .prepare<{ asOf: string; customer: string | null; type: string | null }, InvoiceRow>(
      `SELECT number, type, customer, issue_date, due_date, amount_due FROM invoices
       WHERE direction = 'customer' AND issue_date <= @asOf AND (@customer IS NULL OR customer = @customer)
         AND (@type IS NULL OR type = @type)
       ORDER BY customer, due_date, number`,
    )
    .all({ asOf, customer: customer ?? null, type: type ?? null });
}

/**
 * Every open amount of the customers as of a date, from the receivables
 * tables: invoices split into their instalments (settled in due order),
 * credit notes and payments not yet matched as negatives. Their sum is the
 * receivable balance of that day.
 */
export function openAmounts(db: Database, asOf: string, customer?: string): OpenAmount[] {
  const settled = settlement(db, asOf);
  const parts = new Map<string, { part: number; due_date: string; amount: number }[]>();
  const partRows = db
    .prepare<[], { number: string; part: number; due_date: string; amount: number }>(
      `SELECT number, part, due_date, amount FROM invoice_instalments
       WHERE direction = 'customer' AND seller = '' ORDER BY number, due_date, part`,
    )
    .iterate();
  for (const row of partRows) {
    const list = parts.get(row.number) ?? [];
    list.push(row);
    parts.set(row.number, list);
  }
  const amounts: OpenAmount[] = [];
  for (const row of customerInvoices(db, asOf, customer)) {
    if (row.type === "credit-note") {
      const open = row.amount_due - (settled.used.get(`credit-note\u0000${row.number}`) ?? 0);
      if (open !== 0)
        amounts.push({
          customer: row.customer,
          kind: "credit-note",
          document: row.number,
          issueDate: row.issue_date,
          dueDate: row.issue_date,
          open: -open,
        });
      continue;
    }
    const paid = settled.invoices.get(row.number)?.amount ?? 0;
    const open = row.amount_due - paid;
    if (open === 0) continue;
    const split = parts.get(row.number) ?? [];
    if (split.length <= 1) {
      amounts.push({
        customer: row.customer,
        kind: "invoice",
        document: row.number,
        issueDate: row.issue_date,
        dueDate: split[0]?.due_date ?? row.due_date,
        open,
      });
      continue;
    }
    let left = paid;
    for (const part of split) {
      const covered = Math.min(Math.max(left, 0), part.amount);
      left -= covered;
      if (part.amount - covered === 0) continue;
      amounts.push({
        customer: row.customer,
        kind: "instalment",
        document: row.number,
        part: part.part,
        issueDate: row.issue_date,
        dueDate: part.due_date,
        open: part.amount - covered,
      });
    }
  }
  const payments = db
    .prepare<
      { asOf: string; customer: string | null },
      { id: string; date: string; customer: string | null; amount: number }
    >(
      "SELECT id, date, customer, amount FROM payments WHERE date <= @asOf AND (@customer IS NULL OR customer = @customer)",
    )
    .iterate({ asOf, customer: customer ?? null });
  for (const payment of payments) {
    const open = payment.amount - (settled.used.get(`payment\u0000${payment.id}`) ?? 0);
    if (open === 0) continue;
    amounts.push({
      customer: payment.customer ?? UNIDENTIFIED,
      kind: "payment",
      document: payment.id,
      issueDate: payment.date,
      dueDate: payment.date,
      open: -open,
    });
  }
  return amounts;
}

/** The receivable balance computed directly (documents less what was received), to check the aged balance against. */
export function receivableBalance(db: Database, asOf: string): number {
  const row = db
    .prepare<
      { asOf: string },
      { invoiced: number; credited: number; received: number; written: number; refunded: number }
    >(
      `WITH live AS (${LIVE_ALLOCATIONS}), effective AS (SELECT * FROM live WHERE effective <= @asOf)
       SELECT
         COALESCE((SELECT SUM(amount_due) FROM invoices WHERE direction = 'customer' AND type = 'invoice' AND issue_date <= @asOf), 0) AS invoiced,
         COALESCE((SELECT SUM(amount_due) FROM invoices WHERE direction = 'customer' AND type = 'credit-note' AND issue_date <= @asOf), 0) AS credited,
         COALESCE((SELECT SUM(amount) FROM payments WHERE date <= @asOf), 0) AS received,
         COALESCE((SELECT SUM(amount) FROM effective WHERE source = 'write-off'), 0) AS written,
         COALESCE((SELECT SUM(amount) FROM effective WHERE source = 'payment' AND invoice IS NULL), 0) AS refunded`,
    )
    .get({ asOf }) as {
    invoiced: number;
    credited: number;
    received: number;
    written: number;
    refunded: number;
  };
  // A short payment's residue written off lowers what is owed; an overpayment written off is money kept, no longer owed back.
  return row.invoiced - row.credited - row.received - row.written + row.refunded;
}

/** Customer invoices fully settled on `asOf`, with the day the last amount came in (payer profile). */
export function settledInvoices(db: Database, asOf: string): SettledInvoice[] {
  const settled = settlement(db, asOf);
  const out: SettledInvoice[] = [];
  for (const row of customerInvoices(db, asOf, undefined, "invoice")) {
    const paid = settled.invoices.get(row.number);
    if (!paid || paid.amount !== row.amount_due) continue;
    out.push({
      customer: row.customer,
      invoice: row.number,
      dueDate: row.due_date,
      paidDate: paid.last,
      amount: row.amount_due,
    });
  }
  return out;
}

/** Sales of a period, VAT included, credit notes deducted (DSO). */
export function salesBetween(db: Database, first: string, last: string): number {
  const row = db
    .prepare<[string, string], { sales: number | null }>(
      `SELECT SUM(CASE type WHEN 'credit-note' THEN -gross_total ELSE gross_total END) AS sales
       FROM invoices WHERE direction = 'customer' AND issue_date BETWEEN ? AND ?`,
    )
    .get(first, last);
  return row?.sales ?? 0;
}

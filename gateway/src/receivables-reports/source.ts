import type { Database } from "better-sqlite3";
import type { OpenAmount } from "./aging.js";
import type { SettledInvoice } from "./payer-profile.js";

/** Customer of a payment nobody could attribute yet: it still lowers the site's receivable. */
export const UNIDENTIFIED = "(unidentified)";

/**
 * The allocations live on `asOf`: made effective on or before it (a
 * payment's own date, also for the residue written off with it; a credit
 * note's issue date) and not undone by then. This is what replays a past date from the
 * receivables ledger: nothing is overwritten, undos are marked with their
 * time, so the state of any day can be rebuilt.
 */
const LIVE_ALLOCATIONS = `
  SELECT a.source, a.source_id, a.invoice, a.amount,
         CASE a.source
           WHEN 'credit-note' THEN COALESCE((SELECT c.issue_date FROM invoices c WHERE c.direction = 'customer'
                                     AND c.seller = '' AND c.number = a.source_id), substr(a.at, 1, 10))
           ELSE COALESCE((SELECT p.date FROM payments p WHERE p.id = a.source_id), substr(a.at, 1, 10)) END AS effective
  FROM allocations a
  WHERE a.undone_at IS NULL OR substr(a.undone_at, 1, 10) > @asOf`;

interface InvoiceRow {
  number: string;
  type: "invoice" | "credit-note";
  customer: string;
  issue_date: string;
  due_date: string;
  amount_due: number;
  settled: number;
  last_settled: string | null;
}

/**
 * Every open amount of the customers as of a date, from the receivables
 * tables: invoices split into their instalments (settled in due order),
 * credit notes and payments not yet matched as negatives. Their sum is the
 * receivable balance of that day.
 */
export function openAmounts(db: Database, asOf: string, customer?: string): OpenAmount[] {
  const params = { asOf, customer: customer ?? null };
  const invoices = db
    .prepare<typeof params, InvoiceRow>(
      `WITH live AS (${LIVE_ALLOCATIONS}), effective AS (SELECT * FROM live WHERE effective <= @asOf)
       SELECT i.number, i.type, i.customer, i.issue_date, i.due_date, i.amount_due,
         CASE i.type
           WHEN 'invoice' THEN COALESCE((SELECT SUM(e.amount) FROM effective e WHERE e.invoice = i.number), 0)
           ELSE COALESCE((SELECT SUM(e.amount) FROM effective e WHERE e.source = 'credit-note' AND e.source_id = i.number), 0)
         END AS settled,
         (SELECT MAX(e.effective) FROM effective e WHERE e.invoice = i.number) AS last_settled
       FROM invoices i
       WHERE i.direction = 'customer' AND i.issue_date <= @asOf AND (@customer IS NULL OR i.customer = @customer)
       ORDER BY i.customer, i.due_date, i.number`,
    )
    .all(params);
  const parts = db.prepare<[string], { part: number; due_date: string; amount: number }>(
    `SELECT part, due_date, amount FROM invoice_instalments
     WHERE direction = 'customer' AND seller = '' AND number = ? ORDER BY due_date, part`,
  );
  const amounts: OpenAmount[] = [];
  for (const row of invoices) {
    const open = row.amount_due - row.settled;
    if (open === 0) continue;
    if (row.type === "credit-note") {
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
    const split = parts.all(row.number);
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
    let paid = row.settled;
    for (const part of split) {
      const settled = Math.min(Math.max(paid, 0), part.amount);
      paid -= settled;
      if (part.amount - settled === 0) continue;
      amounts.push({
        customer: row.customer,
        kind: "instalment",
        document: row.number,
        part: part.part,
        issueDate: row.issue_date,
        dueDate: part.due_date,
        open: part.amount - settled,
      });
    }
  }
  const payments = db
    .prepare<typeof params, { id: string; date: string; customer: string | null; open: number }>(
      `WITH live AS (${LIVE_ALLOCATIONS}), effective AS (SELECT * FROM live WHERE effective <= @asOf)
       SELECT p.id, p.date, p.customer,
         p.amount - COALESCE((SELECT SUM(e.amount) FROM effective e WHERE e.source = 'payment' AND e.source_id = p.id), 0) AS open
       FROM payments p WHERE p.date <= @asOf AND (@customer IS NULL OR p.customer = @customer)`,
    )
    .all(params);
  for (const payment of payments) {
    if (payment.open === 0) continue;
    amounts.push({
      customer: payment.customer ?? UNIDENTIFIED,
      kind: "payment",
      document: payment.id,
      issueDate: payment.date,
      dueDate: payment.date,
      open: -payment.open,
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
  const rows = openAmountsRaw(db, asOf);
  return rows
    .filter(
      (row) => row.type === "invoice" && row.amount_due - row.settled === 0 && row.last_settled,
    )
    .map((row) => ({
      customer: row.customer,
      invoice: row.number,
      dueDate: row.due_date,
      paidDate: row.last_settled as string,
      amount: row.amount_due,
    }));
}

function openAmountsRaw(db: Database, asOf: string): InvoiceRow[] {
  return db
    .prepare<{ asOf: string }, InvoiceRow>(
      `WITH live AS (${LIVE_ALLOCATIONS}), effective AS (SELECT * FROM live WHERE effective <= @asOf)
       SELECT i.number, i.type, i.customer, i.issue_date, i.due_date, i.amount_due,
         COALESCE((SELECT SUM(e.amount) FROM effective e WHERE e.invoice = i.number), 0) AS settled,
         (SELECT MAX(e.effective) FROM effective e WHERE e.invoice = i.number) AS last_settled
       FROM invoices i WHERE i.direction = 'customer' AND i.type = 'invoice' AND i.issue_date <= @asOf`,
    )
    .all({ asOf });
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

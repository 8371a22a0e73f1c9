import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { OpenInvoice } from "./queries.js";

/** A customer invoice a payment's label names: whose it is, and what it still owes (0 or less: paid). */
export interface NamedInvoice extends OpenInvoice {
  customer: string | null;
}

/**
 * The customer invoices (not credit notes) whose upper-case number is one of
 * `upperNumbers`, whoever they belong to and paid or not: what a payment's
 * label can name (payments/cash-application.ts, labelCandidates). One query
 * serves both questions a payment asks — whose is it, and which of the
 * customer's invoices it settles first. Found by number through the
 * invoices_number_upper index (named: SQLite would otherwise walk the
 * primary key's 'customer' prefix, every customer invoice).
 */
export const INVOICES_NAMED_SQL = `SELECT i.number, i.customer, i.due_date, i.issue_date,
    i.amount_due - COALESCE((SELECT SUM(a.amount) FROM allocations a
      WHERE a.invoice = i.number AND a.undone_at IS NULL), 0) AS balance
  FROM invoices i INDEXED BY invoices_number_upper
  WHERE i.direction = 'customer' AND i.type = 'invoice'
    AND upper(i.number) IN (SELECT value FROM json_each(?))`;

interface NamedRow {
  number: string;
  customer: string | null;
  due_date: string;
  issue_date: string;
  balance: number;
}

export function invoicesNamed(
  db: Database.Database,
  upperNumbers: readonly string[],
): NamedInvoice[] {
  if (upperNumbers.length === 0) return [];
  return prepared<[string], NamedRow>(db, INVOICES_NAMED_SQL)
    .all(JSON.stringify(upperNumbers))
    .map((row) => ({
      number: row.number,
      customer: row.customer,
      balance: row.balance,
      dueDate: row.due_date,
      issueDate: row.issue_date,
    }));
}

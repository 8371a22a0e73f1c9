import { MAX_MINOR_UNITS } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { ReceivablesRuleError } from "./queries.js";

/**
 * Balances, aged buckets and report totals add up invoices and payments
 * across a customer or the whole site. Each amount is exact on its own
 * (at most 2^53 − 1 minor units), but a sum past that is not: JavaScript
 * rounds it, and SQLite's SUM would overflow. So a record that would take
 * the site's sum of invoices, or of payments, past it is refused — a bound
 * no real site meets (90 000 billion euros), and one that keeps every sum
 * the gateway makes exact.
 *
 * The sum is read (a scan of the table) only for an amount of 2^32 minor
 * units or more: smaller ones could only get there past two million
 * records, and an import of thousands of invoices stays one pass.
 */
const CHECKED_FROM = 2 ** 32;

export function assertInvoicesFit(
  db: Database.Database,
  amount: number,
  replacing: { direction: string; seller: string; number: string },
): void {
  if (Math.abs(amount) < CHECKED_FROM) return;
  const { sum } = db
    .prepare<[string, string, string], { sum: number }>(
      "SELECT total(abs(amount_due)) AS sum FROM invoices WHERE NOT (direction = ? AND seller = ? AND number = ?)",
    )
    .get(replacing.direction, replacing.seller, replacing.number) as { sum: number };
  if (sum + Math.abs(amount) > MAX_MINOR_UNITS)
    throw new ReceivablesRuleError(
      `with this invoice the site's invoices would add up to more than ${MAX_MINOR_UNITS} minor units, beyond what totals keep exactly — check the amount`,
      "amountDue",
    );
}

export function assertPaymentsFit(db: Database.Database, amount: number): void {
  if (amount < CHECKED_FROM) return;
  const { sum } = db
    .prepare<[], { sum: number }>("SELECT total(amount) AS sum FROM payments")
    .get() as { sum: number };
  if (sum + amount > MAX_MINOR_UNITS)
    throw new ReceivablesRuleError(
      `with this payment the site's payments would add up to more than ${MAX_MINOR_UNITS} minor units, beyond what totals keep exactly — check the amount`,
      "amount",
    );
}

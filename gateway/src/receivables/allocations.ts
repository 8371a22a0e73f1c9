import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { AllocationRecord } from "./queries.js";

/**
 * Writes one allocation (a match of a payment, credit note or write-off
 * against an invoice) inside the caller's transaction: payments applied
 * (payments/) and credit notes applied (receivables) alike.
 */
export function allocate(
  db: Database.Database,
  record: AllocationRecord & { customer: string },
): AllocationRecord {
  prepared(
    db,
    `INSERT INTO allocations (letter, source, source_id, invoice, customer, amount, rule, by_kind, by_id, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
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

/** The next matching group's letter, from the store's counter (in the caller's transaction). */
export function nextLetter(db: Database.Database): string {
  const row = prepared<[], { value: number }>(
    db,
    `INSERT INTO receivables_counters (name, value) VALUES ('letter', 0)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
  ).get() as { value: number };
  return letterCode(row.value);
}

/** Letter codes of matching groups: A … Z, AA … AZ, BA …, like an accounting ledger's. */
export function letterCode(n: number): string {
  let code = "";
  let rest = n;
  do {
    code = String.fromCharCode(65 + (rest % 26)) + code;
    rest = Math.floor(rest / 26) - 1;
  } while (rest >= 0);
  return code;
}

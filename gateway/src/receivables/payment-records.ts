import type Database from "better-sqlite3";
import type { Actor } from "../ledger/gateway-ledger.js";
import { type AllocationDbRow, type AllocationRecord, toAllocation } from "./queries.js";

/** One match of a payment, as made; `undone` says when and by whom it was undone (then it no longer counts). */
export interface PaymentAllocation extends AllocationRecord {
  undone: { at: string; by: Actor } | null;
}

/** A payment as the bank gave it, as stored: the columns of the payments table, bar recorded_at. */
interface StoredPayment {
  id: string;
  date: string;
  amount: number;
  currency: string;
  label: string;
  reference: string | null;
  /** null: nobody could be identified; it stays unapplied. */
  customer: string | null;
  payer: string | null;
}

/** A payment as recorded, with its application: every match made of it, undone ones included. */
export interface PaymentRecord extends StoredPayment {
  recordedAt: string;
  /** Money of the payment matched to invoices (or an overpayment kept), live matches only. */
  applied: number;
  /** A short payment's residues written off with it, live matches only. */
  writtenOff: number;
  /** What is left to apply: the amount less what is applied. */
  unapplied: number;
  allocations: PaymentAllocation[];
}

interface PaymentRow extends StoredPayment {
  recorded_at: string;
}

interface AllocationRow extends AllocationDbRow {
  undone_at: string | null;
  undone_by: string | null;
}

/** Named, not p.*: a column added to the table must not reach the API unannounced. */
const PAYMENT_COLUMNS =
  "p.id, p.date, p.amount, p.currency, p.label, p.reference, p.customer, p.payer, p.recorded_at";

/**
 * Payments with their allocations (a payment's money, and the residues
 * written off with it: source_id is the payment), oldest first; one
 * customer's, or one payment. Two queries, whatever the number of payments.
 */
export function paymentRecords(
  db: Database.Database,
  filter: { id?: string; customer?: string } = {},
): PaymentRecord[] {
  // Only the conditions given: "@id IS NULL OR …" would keep SQLite from the key and the customer index.
  const params: { id?: string; customer?: string } = {};
  const conditions = ["1"];
  if (filter.id !== undefined) {
    params.id = filter.id;
    conditions.push("p.id = @id");
  }
  if (filter.customer !== undefined) {
    params.customer = filter.customer;
    conditions.push("p.customer = @customer");
  }
  const where = conditions.join(" AND ");
  const payments = db
    .prepare<typeof params, PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE ${where} ORDER BY p.date, p.id`,
    )
    .all(params);
  const byPayment = new Map<string, PaymentAllocation[]>();
  const allocations = db
    .prepare<typeof params, AllocationRow>(
      `SELECT a.source_id, a.letter, a.source, a.invoice, a.amount, a.rule, a.by_kind, a.by_id, a.at,
              a.undone_at, a.undone_by
       FROM allocations a JOIN payments p ON p.id = a.source_id
       WHERE a.source IN ('payment', 'write-off') AND ${where} ORDER BY a.id`,
    )
    .iterate(params);
  for (const row of allocations) {
    const list = byPayment.get(row.source_id) ?? [];
    list.push(toPaymentAllocation(row));
    byPayment.set(row.source_id, list);
  }
  return payments.map((row) => {
    const matched = byPayment.get(row.id) ?? [];
    const live = (source: AllocationRecord["source"]) =>
      matched
        .filter((allocation) => allocation.undone === null && allocation.source === source)
        .reduce((sum, allocation) => sum + allocation.amount, 0);
    const applied = live("payment");
    const { recorded_at, ...stored } = row;
    return {
      ...stored,
      recordedAt: recorded_at,
      applied,
      writtenOff: live("write-off"),
      unapplied: row.amount - applied,
      allocations: matched,
    };
  });
}

function toPaymentAllocation(row: AllocationRow): PaymentAllocation {
  return {
    ...toAllocation(row),
    undone:
      row.undone_at === null
        ? null
        : { at: row.undone_at, by: actorOf(row.undone_by ?? "system:unknown") },
  };
}

/** An actor as undoLetter stores it: "kind:id". */
function actorOf(text: string): Actor {
  const at = text.indexOf(":");
  const kind = text.slice(0, at);
  return {
    kind: kind === "token" || kind === "user" ? kind : "system",
    id: text.slice(at + 1),
  };
}

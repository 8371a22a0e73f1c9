/**
 * Cash application (lettrage), as a pure plan (business-rules.md,
 * "Receivables"): a payment goes first to the invoices whose numbers its
 * label names, in the order named; then to the other open invoices, oldest
 * due first; a difference within the tolerance is written off with the rule
 * recorded; what is left is unapplied credit.
 */

import type { CashRule, OpenInvoice } from "../receivables/queries.js";

export interface PlannedAllocation {
  /** null: the payment's small excess, written off. */
  invoice: string | null;
  amount: number;
  rule: CashRule;
  /** true: a write-off (of an invoice's residue or the payment's excess), not money received for it. */
  writeOff: boolean;
}

export interface CashPlan {
  allocations: PlannedAllocation[];
  unapplied: number;
}

/** Oldest due first; then oldest issued; then by number, so the order is total. */
export function oldestDueFirst(a: OpenInvoice, b: OpenInvoice): number {
  return (
    a.dueDate.localeCompare(b.dueDate) ||
    a.issueDate.localeCompare(b.issueDate) ||
    a.number.localeCompare(b.number)
  );
}

/**
 * Invoice numbers of `open` that `text` names, in the order they appear.
 * A number matches case-insensitively when no letter or digit touches it,
 * so "F-12" is not found in "F-123".
 */
/**
 * Every part of the label that could be an invoice number under the rule of
 * referencedInvoices (upper-cased, with no letter or digit just before or
 * just after it), at most 64 characters as invoice numbers are: the
 * candidates to look up by number, instead of trying every open invoice.
 */
export function labelCandidates(text: string): string[] {
  const haystack = text.toUpperCase();
  const alnum = (at: number) => /[A-Z0-9]/.test(haystack[at] ?? " ");
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at <= haystack.length; at++) {
    if (at < haystack.length && !alnum(at - 1)) starts.push(at);
    if (at > 0 && !alnum(at)) ends.push(at);
  }
  const candidates = new Set<string>();
  for (const start of starts) {
    for (const end of ends) {
      if (end <= start) continue;
      if (end - start > MAX_INVOICE_NUMBER) break;
      candidates.add(haystack.slice(start, end));
    }
  }
  return [...candidates];
}

/** The longest invoice number the contracts accept. */
const MAX_INVOICE_NUMBER = 64;

export function referencedInvoices(text: string, open: readonly OpenInvoice[]): string[] {
  const haystack = text.toUpperCase();
  const found: { number: string; at: number }[] = [];
  for (const invoice of open) {
    const needle = invoice.number.toUpperCase();
    let from = 0;
    while (from <= haystack.length - needle.length) {
      const at = haystack.indexOf(needle, from);
      if (at < 0) break;
      const before = haystack[at - 1] ?? " ";
      const after = haystack[at + needle.length] ?? " ";
      if (!/[A-Z0-9]/.test(before) && !/[A-Z0-9]/.test(after)) {
        found.push({ number: invoice.number, at });
        break;
      }
      from = at + 1;
    }
  }
  return found.sort((a, b) => a.at - b.at).map((hit) => hit.number);
}

export function planCashApplication(
  amount: number,
  text: string,
  open: readonly OpenInvoice[],
  tolerance: number,
): CashPlan {
  const balances = new Map(open.map((invoice) => [invoice.number, invoice.balance]));
  const allocations: PlannedAllocation[] = [];
  let remaining = amount;
  const take = (number: string, rule: CashRule) => {
    const balance = balances.get(number) ?? 0;
    const part = Math.min(remaining, balance);
    if (part <= 0) return;
    allocations.push({ invoice: number, amount: part, rule, writeOff: false });
    balances.set(number, balance - part);
    remaining -= part;
  };

  for (const number of referencedInvoices(text, open)) take(number, "label-reference");
  for (const invoice of [...open].sort(oldestDueFirst)) take(invoice.number, "oldest-due");

  const touched = allocations.length > 0;
  if (touched && remaining > 0 && remaining <= tolerance) {
    allocations.push({
      invoice: null,
      amount: remaining,
      rule: "tolerance-overpayment",
      writeOff: true,
    });
    remaining = 0;
  }
  // A short payment: the residue it leaves on an invoice it paid, within the tolerance.
  for (const number of new Set(allocations.map((allocation) => allocation.invoice))) {
    if (number === null) continue;
    const residue = balances.get(number) ?? 0;
    if (residue > 0 && residue <= tolerance) {
      allocations.push({
        invoice: number,
        amount: residue,
        rule: "tolerance-underpayment",
        writeOff: true,
      });
      balances.set(number, 0);
    }
  }
  return { allocations, unapplied: remaining };
}

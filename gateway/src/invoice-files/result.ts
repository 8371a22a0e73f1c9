import { formatPath, type Invoice, InvoiceSchema } from "@comptoir/contracts";
import type { ParseResult, Problems } from "../file-readers/parse-result.js";

export type InvoiceFileResult = ParseResult<Invoice>;

/**
 * Validates a built invoice against the contract; `locate` turns a zod
 * path (`lines[2].quantity`, or "" for the whole invoice) into the file's
 * own place: `line 7, quantity` for CSV, an XPath for XML.
 */
export function checkInvoice(
  candidate: unknown,
  problems: Problems,
  locate: (path: string) => string,
): Invoice | undefined {
  const parsed = InvoiceSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.add(locate(formatPath(issue.path)), issue.message);
  return undefined;
}

/** Invoices with no lines cannot be matched to shipped or received goods: say so once. */
export function notesFor(invoices: readonly Invoice[]): string[] {
  return invoices
    .filter((invoice) => invoice.lines.length === 0)
    .map(
      (invoice) =>
        `invoice ${invoice.number} has no lines${invoice.source?.profile ? ` (profile ${invoice.source.profile})` : ""}: kept for receivables, cannot be matched against stock`,
    );
}

/** Two invoices with the same number and direction in one file is a mistake, not an update. */
export function checkDuplicates(
  invoices: readonly { invoice: Invoice; where: string }[],
  problems: Problems,
): void {
  const seen = new Map<string, string>();
  for (const { invoice, where } of invoices) {
    const key = `${invoice.direction}\u0000${invoice.supplier ?? ""}\u0000${invoice.number}`;
    const first = seen.get(key);
    if (first) problems.add(where, `invoice number ${invoice.number} already appears at ${first}`);
    else seen.set(key, where);
  }
}

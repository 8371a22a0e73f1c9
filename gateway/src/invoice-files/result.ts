import {
  formatPath,
  type InputProblem,
  type Invoice,
  InvoiceSchema,
  type Payment,
} from "@comptoir/contracts";

/** What a file parser gives: every invoice, or every problem (a bad file is refused whole). */
export type ParseResult<T> =
  | { ok: true; items: T[]; notes: string[] }
  /** `limit`: a PDF hit a reading limit (memory, time), so the file is too large rather than wrong. */
  | { ok: false; problems: InputProblem[]; limit?: PdfLimitHit };

export type PdfLimitHit = "inflated-bytes" | "heap" | "time";

export type InvoiceFileResult = ParseResult<Invoice>;
export type PaymentFileResult = ParseResult<Payment>;

/** Collects problems located by a path: `line 4: quantity` for CSV, an XPath for XML. */
export class Problems {
  readonly list: InputProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

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

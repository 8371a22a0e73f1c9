import { formatPath, type Payment, PaymentSchema } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import { readCsvTable } from "../file-readers/csv-table.js";
import { amountToMinor } from "../file-readers/decimal.js";
import { Problems } from "../file-readers/parse-result.js";
import type { PaymentFileResult } from "./result.js";

/**
 * A bank export of received payments, one per row: `date` (YYYY-MM-DD, or
 * DD/MM/YYYY as French banks write it), `amount` (decimal, positive; a
 * comma as the decimal mark is accepted when the file uses `;`), `label`,
 * `reference`, `payer`; optional `id`, the bank's transaction id (else
 * derived from the line content, see derivedId), `currency` (else the
 * default), `customer` (our id when known).
 */
export const PAYMENT_CSV_COLUMNS = [
  "id",
  "date",
  "amount",
  "currency",
  "label",
  "reference",
  "payer",
  "customer",
] as const;
type Column = (typeof PAYMENT_CSV_COLUMNS)[number];
const REQUIRED: Column[] = ["date", "amount"];

export function paymentCsvTemplate(): string {
  return (
    csvLine(PAYMENT_CSV_COLUMNS) +
    csvLine([
      "BNK-20260315-001",
      "2026-03-15",
      "180.00",
      "EUR",
      "VIR ACME SARL F-2026-0001",
      "F-2026-0001",
      "ACME SARL",
      "acme",
    ])
  );
}

export function parsePaymentCsv(
  text: string,
  options: { currency?: string } = {},
): PaymentFileResult {
  const problems = new Problems();
  const rows = readCsvTable(
    text,
    { columns: PAYMENT_CSV_COLUMNS, required: REQUIRED, rows: "payment" },
    problems,
  );
  if (!rows) return { ok: false, problems: problems.list };

  const payments: Payment[] = [];
  const ids = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const { line, get } of rows) {
    const at = (column: string) => `line ${line}, ${column}`;
    const currency = get("currency") || options.currency || "EUR";
    const date = readDate(get("date"));
    if (!date)
      problems.add(at("date"), `"${get("date")}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    let amountText = get("amount").replace(/\s/g, "");
    if (/^-?\d+,\d+$/.test(amountText)) amountText = amountText.replace(",", ".");
    const amount = /^[A-Z]{3}$/.test(currency)
      ? amountToMinor(amountText, currency)
      : { ok: false as const, message: `currency "${currency}" is not an ISO 4217 code` };
    if (!amount.ok) problems.add(at("amount"), amount.message);
    if (!date || !amount.ok) continue;
    const id =
      get("id") || derivedId(`${date}/${amountText}/${get("reference") || get("label")}`, seen);
    const candidate = {
      id,
      date,
      amount: amount.minor,
      currency,
      label: get("label"),
      ...(get("reference") ? { reference: get("reference") } : {}),
      ...(get("customer") ? { customer: get("customer") } : {}),
      ...(get("payer") ? { payer: get("payer") } : {}),
    };
    const parsed = PaymentSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.add(at(formatPath(issue.path) || "row"), issue.message);
      continue;
    }
    const first = ids.get(id);
    if (first !== undefined)
      problems.add(at("id"), `payment ${id} already appears on line ${first}`);
    else ids.set(id, line);
    payments.push(parsed.data);
  }
  if (!problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, items: payments, notes: [] };
}

/**
 * The payment id of a line without the bank's transaction id: its content,
 * and for the second and later identical lines of the file, their rank
 * among them (`…#2`). Two genuine transfers of the same amount on the same
 * day with the same label stay two payments, while importing the same
 * file again gives the same ids, so nothing new. The rank counts identical
 * lines, not line numbers: a later export that starts earlier or adds
 * other lines still gives each payment the id it had.
 */
function derivedId(content: string, seen: Map<string, number>): string {
  const rank = (seen.get(content) ?? 0) + 1;
  seen.set(content, rank);
  if (rank === 1) return content.slice(0, 64);
  const suffix = `#${rank}`;
  return content.slice(0, 64 - suffix.length) + suffix;
}

function readDate(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : french
      ? [french[3], french[2], french[1]]
      : [];
  if (!year) return undefined;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date)
    ? date
    : undefined;
}

import { formatPath, type Payment, PaymentSchema } from "@comptoir/contracts";
import { csvLine, normaliseHeader, readCsv } from "./csv-reader.js";
import { amountToMinor } from "./decimal.js";
import { type PaymentFileResult, Problems } from "./result.js";

/**
 * A bank export of received payments, one per row: `date` (YYYY-MM-DD, or
 * DD/MM/YYYY as French banks write it), `amount` (decimal, positive; a
 * comma as the decimal mark is accepted when the file uses `;`), `label`,
 * `reference`, `payer`; optional `id` (else derived from the line content),
 * `currency` (else the default), `customer` (our id when known).
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
  const read = readCsv(text);
  if (!read.ok)
    return { ok: false, problems: [{ path: `line ${read.line}`, message: read.message }] };
  const [header, ...records] = read.records;
  if (!header)
    return {
      ok: false,
      problems: [{ path: "line 1", message: "the file is empty: expected a header line" }],
    };
  const index = new Map<string, number>();
  header.fields.forEach((name, position) => {
    const column = normaliseHeader(name);
    if (!(PAYMENT_CSV_COLUMNS as readonly string[]).includes(column)) {
      problems.add(
        `line ${header.line}`,
        `unknown column "${name}": the columns are ${PAYMENT_CSV_COLUMNS.join(", ")}`,
      );
    } else index.set(column, position);
  });
  for (const column of REQUIRED)
    if (!index.has(column)) problems.add(`line ${header.line}`, `missing column "${column}"`);
  if (!problems.empty) return { ok: false, problems: problems.list };
  if (records.length === 0)
    return {
      ok: false,
      problems: [{ path: "line 2", message: "no payment rows after the header" }],
    };

  const payments: Payment[] = [];
  const ids = new Map<string, number>();
  for (const record of records) {
    const at = (column: string) => `line ${record.line}, ${column}`;
    if (record.fields.length !== header.fields.length) {
      problems.add(
        `line ${record.line}`,
        `has ${record.fields.length} fields, the header has ${header.fields.length}`,
      );
      continue;
    }
    const get = (column: Column) => record.fields[index.get(column) ?? -1]?.trim() ?? "";
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
      get("id") || `${date}/${amountText}/${get("reference") || get("label")}`.slice(0, 64);
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
    else ids.set(id, record.line);
    payments.push(parsed.data);
  }
  if (!problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, items: payments, notes: [] };
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

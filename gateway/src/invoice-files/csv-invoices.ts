import type { Invoice, InvoiceLine } from "@comptoir/contracts";
import { csvLine } from "../file-readers/csv-reader.js";
import { type CsvRow, readCsvTable } from "../file-readers/csv-table.js";
import { amountToMinor, readQuantity, unitPriceToMinor } from "../file-readers/decimal.js";
import { Problems } from "../file-readers/parse-result.js";
import { checkDuplicates, checkInvoice, type InvoiceFileResult, notesFor } from "./result.js";
import { checkTotals, toGtin14 } from "./totals.js";

/**
 * The invoice CSV layout: one row per invoice line, the invoice's own
 * columns repeated on each of its rows (they must agree); an invoice with
 * no lines (a MINIMUM-like summary) is one row with the line columns empty.
 * Amounts are decimals with a point ("1234.50"), dates YYYY-MM-DD, unit
 * prices may carry 4 decimals. `*` marks a required column.
 */
export const INVOICE_CSV_COLUMNS = [
  ["number", "* BT-1 invoice number"],
  ["direction", "customer (default) or supplier"],
  ["type", "380 / invoice (default) or 381 / credit-note"],
  ["issue_date", "* BT-2, YYYY-MM-DD"],
  ["due_date", "BT-9, YYYY-MM-DD"],
  ["terms", "BT-20 payment terms text"],
  ["currency", "* BT-5, ISO 4217"],
  ["customer", "our customer id (customer invoices)"],
  ["supplier", "the seller (supplier invoices)"],
  ["order_ref", "BT-13 order reference"],
  ["despatch_ref", "BT-16 despatch advice reference"],
  ["preceding_invoice", "BT-25, required on a credit note"],
  ["net_total", "* BT-109 total without VAT"],
  ["vat_total", "* BT-110 VAT total"],
  ["gross_total", "* BT-112 total with VAT"],
  ["prepaid", "BT-113, default 0"],
  ["rounding", "BT-114, default 0"],
  ["amount_due", "BT-115, default gross_total − prepaid + rounding"],
  ["line_id", "BT-126; empty on the one row of an invoice without lines"],
  ["gtin", "BT-157 GTIN (8 to 14 digits)"],
  ["sku", "BT-155 seller's item id"],
  ["item_name", "BT-153"],
  ["quantity", "BT-129 (decimal allowed)"],
  ["unit_code", "BT-130, UN/ECE Rec 20 (C62 = one)"],
  ["unit_price", "BT-146 net unit price, up to 4 decimals"],
  ["line_net", "BT-131 line net amount"],
  ["vat_rate", "BT-152 percent"],
] as const;

type Column = (typeof INVOICE_CSV_COLUMNS)[number][0];
const HEADER_COLUMNS = INVOICE_CSV_COLUMNS.slice(0, 18).map(([name]) => name);
const REQUIRED: Column[] = [
  "number",
  "issue_date",
  "currency",
  "net_total",
  "vat_total",
  "gross_total",
];

/** The template served at GET /api/v1/invoices/template.csv: the header and two example invoices. */
export function invoiceCsvTemplate(): string {
  const names = INVOICE_CSV_COLUMNS.map(([name]) => name);
  const row = (values: Partial<Record<Column, string>>) =>
    csvLine(names.map((name) => values[name as Column] ?? ""));
  const head = {
    number: "F-2026-0001",
    issue_date: "2026-03-02",
    due_date: "2026-04-01",
    currency: "EUR",
    customer: "acme",
    order_ref: "SO-1001",
    net_total: "150.00",
    vat_total: "30.00",
    gross_total: "180.00",
    amount_due: "180.00",
  };
  return (
    csvLine(names) +
    row({
      ...head,
      line_id: "1",
      gtin: "03760000000017",
      sku: "WID-1",
      item_name: "Widget",
      quantity: "10",
      unit_code: "C62",
      unit_price: "10.00",
      line_net: "100.00",
      vat_rate: "20",
    }) +
    row({
      ...head,
      line_id: "2",
      sku: "BOLT-8",
      item_name: "Bolt M8 (box)",
      quantity: "5",
      unit_code: "C62",
      unit_price: "10.00",
      line_net: "50.00",
      vat_rate: "20",
    }) +
    row({
      number: "AV-2026-0001",
      type: "381",
      issue_date: "2026-03-10",
      currency: "EUR",
      customer: "acme",
      preceding_invoice: "F-2026-0001",
      net_total: "10.00",
      vat_total: "2.00",
      gross_total: "12.00",
      amount_due: "12.00",
      line_id: "1",
      sku: "BOLT-8",
      item_name: "Bolt M8 (box)",
      quantity: "1",
      unit_code: "C62",
      unit_price: "10.00",
      line_net: "10.00",
      vat_rate: "20",
    })
  );
}

type Row = CsvRow<Column>;

export function parseInvoiceCsv(text: string): InvoiceFileResult {
  const problems = new Problems();
  const rows = readCsvTable(
    text,
    {
      columns: INVOICE_CSV_COLUMNS.map(([name]) => name),
      required: REQUIRED,
      rows: "invoice",
      emptyHint: "(see GET /api/v1/invoices/template.csv)",
    },
    problems,
  );
  if (!rows) return { ok: false, problems: problems.list };

  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const number = row.get("number");
    if (!number) {
      problems.add(`line ${row.line}, number`, "is required");
      continue;
    }
    const group = groups.get(number) ?? [];
    group.push(row);
    groups.set(number, group);
  }

  const built: { invoice: Invoice; where: string }[] = [];
  for (const rows of groups.values()) {
    const invoice = buildInvoice(rows, problems);
    if (invoice) built.push({ invoice, where: `line ${rows[0]?.line}` });
  }
  checkDuplicates(built, problems);
  if (!problems.empty) return { ok: false, problems: problems.list };
  const invoices = built.map(({ invoice }) => invoice);
  return { ok: true, items: invoices, notes: notesFor(invoices) };
}

function buildInvoice(rows: Row[], problems: Problems): Invoice | undefined {
  const first = rows[0] as Row;
  const at = (row: Row, column: string) => `line ${row.line}, ${column}`;
  const before = problems.list.length;
  for (const row of rows.slice(1)) {
    for (const column of HEADER_COLUMNS) {
      if (row.get(column) !== first.get(column)) {
        problems.add(
          at(row, column),
          `"${row.get(column)}" differs from "${first.get(column)}" on line ${first.line} for the same invoice`,
        );
      }
    }
  }
  const currency = first.get("currency");
  const money = (row: Row, column: Column, fallback?: number): number | undefined => {
    const text = row.get(column);
    if (text === "") {
      if (fallback === undefined && REQUIRED.includes(column))
        problems.add(at(row, column), "is required");
      return fallback;
    }
    if (!/^[A-Z]{3}$/.test(currency)) return 0;
    const result = amountToMinor(text, currency);
    if (result.ok) return result.minor;
    problems.add(at(row, column), result.message);
    return undefined;
  };
  const direction = first.get("direction") || "customer";
  const typeText = first.get("type") || "380";
  const type =
    typeText === "380" || typeText === "invoice"
      ? "invoice"
      : typeText === "381" || typeText === "credit-note"
        ? "credit-note"
        : undefined;
  if (!type)
    problems.add(at(first, "type"), `"${typeText}" is not 380, 381, invoice or credit-note`);
  const netTotal = money(first, "net_total");
  const vatTotal = money(first, "vat_total");
  const grossTotal = money(first, "gross_total");
  const prepaid = money(first, "prepaid", 0) ?? 0;
  const rounding = money(first, "rounding", 0) ?? 0;
  const amountDue = money(first, "amount_due", (grossTotal ?? 0) - prepaid + rounding);

  const lines: InvoiceLine[] = [];
  const withLines = rows.filter((row) => row.get("line_id") !== "" || row.get("quantity") !== "");
  if (withLines.length > 0 && withLines.length !== rows.length) {
    for (const row of rows.filter((r) => !withLines.includes(r))) {
      problems.add(
        at(row, "line_id"),
        "is empty on a row of an invoice that has lines: give each row its line",
      );
    }
  }
  for (const row of withLines) {
    const quantity = readQuantity(row.get("quantity"));
    if (quantity === undefined)
      problems.add(at(row, "quantity"), `"${row.get("quantity")}" is not a decimal quantity`);
    const price = /^[A-Z]{3}$/.test(currency)
      ? unitPriceToMinor(row.get("unit_price"), undefined, currency)
      : { ok: true as const, minor: 0 };
    if (!price.ok) problems.add(at(row, "unit_price"), price.message);
    const net = money(row, "line_net");
    if (row.get("line_net") === "")
      problems.add(at(row, "line_net"), "is required on an invoice line");
    const vat = row.get("vat_rate");
    const vatRate = vat === "" ? undefined : readQuantity(vat);
    if (vat !== "" && vatRate === undefined)
      problems.add(at(row, "vat_rate"), `"${vat}" is not a percentage`);
    const gtin = row.get("gtin");
    lines.push({
      id: row.get("line_id"),
      ...(gtin ? { gtin: toGtin14(gtin) } : {}),
      ...(row.get("sku") ? { sku: row.get("sku") } : {}),
      ...(row.get("item_name") ? { name: row.get("item_name") } : {}),
      quantity: quantity ?? 0,
      ...(row.get("unit_code") ? { unitCode: row.get("unit_code") } : {}),
      unitPrice: price.ok ? price.minor : 0,
      netAmount: net ?? 0,
      ...(vatRate !== undefined ? { vatRate } : {}),
    });
  }
  // Keep going on problems already found: the contract's own checks (dates,
  // ids, credit-note reference) are reported too, so one pass lists them all.
  const optional = (column: Column) => (first.get(column) ? first.get(column) : undefined);
  const candidate = {
    number: first.get("number"),
    direction,
    type,
    issueDate: first.get("issue_date"),
    dueDate: optional("due_date"),
    terms: optional("terms"),
    currency,
    customer: optional("customer"),
    supplier: optional("supplier"),
    orderRef: optional("order_ref"),
    despatchRef: optional("despatch_ref"),
    precedingInvoice: optional("preceding_invoice"),
    lines,
    netTotal: netTotal ?? 0,
    vatTotal: vatTotal ?? 0,
    grossTotal: grossTotal ?? 0,
    prepaid,
    amountDue: amountDue ?? 0,
    source: { format: "csv" },
  };
  const lineColumn: Record<string, string> = {
    id: "line_id",
    name: "item_name",
    unitCode: "unit_code",
    unitPrice: "unit_price",
    netAmount: "line_net",
    vatRate: "vat_rate",
  };
  const columnOf: Record<string, string> = {
    issueDate: "issue_date",
    dueDate: "due_date",
    precedingInvoice: "preceding_invoice",
    orderRef: "order_ref",
    despatchRef: "despatch_ref",
    amountDue: "amount_due",
    netTotal: "net_total",
    vatTotal: "vat_total",
    grossTotal: "gross_total",
  };
  const invoice = checkInvoice(dropUndefined(candidate), problems, (path) => {
    const lineMatch = /^lines\[(\d+)\]\.?(.*)$/.exec(path);
    if (lineMatch) {
      const row = withLines[Number(lineMatch[1])] ?? first;
      return at(row, lineColumn[lineMatch[2] ?? ""] ?? (lineMatch[2] || "line_id"));
    }
    return path ? at(first, columnOf[path] ?? path) : `line ${first.line}`;
  });
  if (!invoice) return undefined;
  checkTotals(
    invoice,
    undefined,
    rounding,
    {
      lineTotal: at(first, "net_total"),
      grossTotal: at(first, "gross_total"),
      amountDue: at(first, "amount_due"),
    },
    problems,
  );
  return problems.list.length > before ? undefined : invoice;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

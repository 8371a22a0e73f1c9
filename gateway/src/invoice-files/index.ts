import { parseCii } from "./cii.js";
import { parseInvoiceCsv } from "./csv-invoices.js";
import { parseInvoiceJson } from "./json-invoices.js";
import type { InvoiceFileResult } from "./result.js";
import { parseUbl } from "./ubl.js";
import type { XmlInvoiceOptions } from "./xml-common.js";

export { INVOICE_CSV_COLUMNS, invoiceCsvTemplate, parseInvoiceCsv } from "./csv-invoices.js";
export { PAYMENT_CSV_COLUMNS, parsePaymentCsv, paymentCsvTemplate } from "./csv-payments.js";
export { amountToMinor, unitPriceToMinor } from "./decimal.js";
export { parsePaymentJson } from "./json-payments.js";
export type { InvoiceFileResult, ParseResult, PaymentFileResult } from "./result.js";
export type { Party, XmlInvoiceOptions } from "./xml-common.js";
export { parseCii, parseInvoiceJson, parseUbl };

export type InvoiceFileFormat = "json" | "csv" | "xml";

/** The format of a request body from its Content-Type; undefined when not one we read. */
export function formatOf(contentType: string | undefined): InvoiceFileFormat | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return "json";
  if (type === "text/csv" || type === "application/csv") return "csv";
  if (type === "application/xml" || type === "text/xml") return "xml";
  return undefined;
}

/** The format of a file from its name, for the CLI. */
export function formatOfFile(name: string): InvoiceFileFormat | undefined {
  const extension = name.toLowerCase().split(".").pop();
  if (extension === "json") return "json";
  if (extension === "csv") return "csv";
  if (extension === "xml") return "xml";
  return undefined;
}

/** Parses an invoice file of any supported format; XML is UBL or CII by its root element. */
export function parseInvoiceFile(
  text: string,
  format: InvoiceFileFormat,
  options: XmlInvoiceOptions = {},
): InvoiceFileResult {
  if (format === "json") return parseInvoiceJson(text);
  if (format === "csv") return parseInvoiceCsv(text);
  return /<(\w+:)?CrossIndustryInvoice[\s>]/.test(text)
    ? parseCii(text, options)
    : parseUbl(text, options);
}

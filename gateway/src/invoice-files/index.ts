import { parseCii } from "./cii.js";
import { parseInvoiceCsv } from "./csv-invoices.js";
import { parseInvoiceJson } from "./json-invoices.js";
import type { PdfLimits } from "./pdf-limits.js";
import type { InvoiceFileResult } from "./result.js";
import { parseUbl } from "./ubl.js";
import type { XmlInvoiceOptions } from "./xml-common.js";

export { INVOICE_CSV_COLUMNS, invoiceCsvTemplate, parseInvoiceCsv } from "./csv-invoices.js";
export { PAYMENT_CSV_COLUMNS, parsePaymentCsv, paymentCsvTemplate } from "./csv-payments.js";
export { amountToMinor, unitPriceToMinor } from "./decimal.js";
export type { FacturXmlResult } from "./factur-x-pdf.js";
export { parsePaymentJson } from "./json-payments.js";
export type { InvoiceFileResult, ParseResult, PaymentFileResult } from "./result.js";
export type { Party, XmlInvoiceOptions } from "./xml-common.js";
export { parseCii, parseInvoiceJson, parseUbl };

export type InvoiceFileFormat = "json" | "csv" | "xml" | "pdf";
/** The formats read as text; a PDF is read as bytes (parseInvoicePdf). */
export type TextInvoiceFormat = Exclude<InvoiceFileFormat, "pdf">;

/** The format of a request body from its Content-Type; undefined when not one we read. */
export function formatOf(contentType: string | undefined): InvoiceFileFormat | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return "json";
  if (type === "text/csv" || type === "application/csv") return "csv";
  if (type === "application/xml" || type === "text/xml") return "xml";
  if (type === "application/pdf") return "pdf";
  return undefined;
}

/** The format of a file from its name, for the CLI. */
export function formatOfFile(name: string): InvoiceFileFormat | undefined {
  const extension = name.toLowerCase().split(".").pop();
  if (extension === "json") return "json";
  if (extension === "csv") return "csv";
  if (extension === "xml") return "xml";
  if (extension === "pdf") return "pdf";
  return undefined;
}

/** Parses an invoice file of any supported format; XML is UBL or CII by its root element. */
export function parseInvoiceFile(
  text: string,
  format: TextInvoiceFormat,
  options: XmlInvoiceOptions = {},
): InvoiceFileResult {
  if (format === "json") return parseInvoiceJson(text);
  if (format === "csv") return parseInvoiceCsv(text);
  return /<(\w+:)?CrossIndustryInvoice[\s>]/.test(text)
    ? parseCii(text, options)
    : parseUbl(text, options);
}

/**
 * Parses a Factur-X / ZUGFeRD PDF: its embedded XML goes through the XML
 * parsers, its problems are located inside the embedded file
 * (`factur-x.xml: /rsm:CrossIndustryInvoice/…`), and the invoice records
 * that it came from a PDF.
 */
export async function parseInvoicePdf(
  bytes: Uint8Array,
  options: XmlInvoiceOptions = {},
  limits: Partial<PdfLimits> = {},
): Promise<InvoiceFileResult> {
  // pdf-lib runs in a worker with memory and time limits: a PDF can inflate without bound.
  const { extractFacturXmlIsolated } = await import("./pdf-limits.js");
  const extracted = await extractFacturXmlIsolated(bytes, limits);
  if (!extracted.ok) return extracted;
  const parsed = parseInvoiceFile(extracted.xml, "xml", options);
  if (!parsed.ok)
    return {
      ok: false,
      problems: parsed.problems.map((problem) => ({
        ...problem,
        path: `${extracted.name}: ${problem.path}`,
      })),
    };
  return {
    ...parsed,
    items: parsed.items.map((invoice) => ({
      ...invoice,
      source: { ...invoice.source, format: "facturx-pdf" as const },
    })),
  };
}

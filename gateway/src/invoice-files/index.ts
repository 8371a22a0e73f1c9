import { type FileFormat, formatOf, formatOfFile } from "../file-readers/format.js";
import { parseCii } from "./cii.js";
import { parseInvoiceCsv } from "./csv-invoices.js";
import { parseInvoiceJson } from "./json-invoices.js";
import type { PdfLimits } from "./pdf-limits.js";
import type { InvoiceFileResult } from "./result.js";
import { parseUbl } from "./ubl.js";
import type { XmlInvoiceOptions } from "./xml-common.js";

export type { ParseResult } from "../file-readers/parse-result.js";
export { INVOICE_CSV_COLUMNS, invoiceCsvTemplate, parseInvoiceCsv } from "./csv-invoices.js";
export type { FacturXmlResult } from "./factur-x-pdf.js";
export type { InvoiceFileResult } from "./result.js";
export type { Party, XmlInvoiceOptions } from "./xml-common.js";
export { parseCii, parseInvoiceJson, parseUbl };

export type InvoiceFileFormat = FileFormat;
/** The formats read as text; a PDF is read as bytes (parseInvoicePdf). */
export type TextInvoiceFormat = Exclude<InvoiceFileFormat, "pdf">;
export { formatOf, formatOfFile };

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

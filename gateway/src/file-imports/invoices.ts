import type { Invoice } from "@comptoir/contracts";
import type { Catalog } from "../catalog/index.js";
import type { CreditService } from "../credit/service.js";
import {
  type ParseResult,
  type Party,
  parseInvoiceFile,
  parseInvoicePdf,
  type TextInvoiceFormat,
} from "../invoice-files/index.js";
import type { Actor } from "../ledger/gateway-ledger.js";

/**
 * A file of invoices, read and recorded the same way whoever brings it:
 * POST /invoices/import and the file drop's `inbound/invoices/` folder.
 */

/** A file's content: a PDF as bytes (never decoded as text), the other formats as UTF-8 text. */
export type InvoiceFileContent =
  | { format: "pdf"; bytes: Uint8Array }
  | { format: TextInvoiceFormat; text: string };

/**
 * Our customer id for a buyer named in an XML invoice: its identifier or
 * legal id when one is a customer id, else the customer whose name matches
 * (case and accents aside), else the identifier as written (the import
 * then says that no such customer exists).
 */
export function customerResolver(catalog: Catalog) {
  const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();
  const customers = catalog.customers();
  return (buyer: Party): string | undefined => {
    for (const id of [buyer.id, buyer.legalId]) {
      if (id && customers.some((customer) => customer.id === id)) return id;
    }
    if (buyer.name) {
      const name = fold(buyer.name);
      const found = customers.find((customer) => fold(customer.name) === name);
      if (found) return found.id;
    }
    return buyer.id ?? buyer.legalId ?? buyer.name;
  };
}

/** Parses an invoice file of any format; XML buyers are matched to our customers. */
export function readInvoiceFile(
  content: InvoiceFileContent,
  catalog: Catalog,
  direction: "customer" | "supplier",
): Promise<ParseResult<Invoice>> {
  const options = { direction, customerOf: customerResolver(catalog) };
  if (content.format === "pdf") return parseInvoicePdf(content.bytes, options);
  return Promise.resolve(parseInvoiceFile(content.text, content.format, options));
}

/** The format the "invoices.imported" entry names: the first invoice's source (facturx-pdf, ubl, cii…), else the file's. */
export function invoiceFileFormat(invoices: readonly Invoice[], fallback: string): string {
  return invoices[0]?.source?.format ?? fallback;
}

/**
 * Records a parsed file's invoices, all or nothing (throws `ImportRefused`
 * listing every refusal); a dry run checks it all and stores nothing.
 */
export function recordInvoiceFile(
  credit: CreditService,
  parsed: { items: Invoice[]; notes: string[] },
  actor: Actor,
  options: { dryRun: boolean; update: boolean; format: string },
) {
  return credit.invoices.import(parsed.items, actor, {
    dryRun: options.dryRun,
    update: options.update,
    format: invoiceFileFormat(parsed.items, options.format),
    notes: parsed.notes,
  });
}

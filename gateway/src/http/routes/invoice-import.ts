import { strictBodyText } from "@comptoir/contracts/http";
import { z } from "zod";
import {
  type InvoiceFileContent,
  invoiceFileFormat,
  readInvoiceFile,
  recordInvoiceFile,
} from "../../file-imports/invoices.js";
import { invoiceCsvTemplate } from "../../invoice-files/index.js";
import type { RouteDeps } from "../context.js";
import { errorBody } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import * as fileImport from "./file-import-answers.js";
import { InvoiceSummarySchema } from "./invoices.js";

export const InvoiceImportQuery = z.strictObject({
  direction: z
    .enum(["customer", "supplier"])
    .default("customer")
    .describe(
      "UBL and CII files: our invoices to customers (default) or our suppliers' invoices to us",
    ),
  update: z
    .enum(["true", "false"])
    .default("false")
    .describe(
      "true: an invoice already recorded is replaced (its own ledger entry); false: it is a 409",
    ),
  dryRun: fileImport.DryRunQueryField,
});

const ImportedInvoices = z.object({
  format: z.string(),
  dryRun: z.boolean().optional().describe("present and true: checked only, nothing stored"),
  imported: z.number().int().describe("0 on a dry run"),
  invoices: z.array(InvoiceSummarySchema),
  notes: z
    .array(z.string())
    .describe(
      "e.g. invoices without lines (MINIMUM, BASIC WL) that cannot be matched against stock",
    ),
});

/** A file of invoices: read and recorded by file-imports/invoices (as the file drop does). */
export function invoiceImportRoutes(deps: RouteDeps): RouteGroup {
  const { credit, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/invoices/import",
        summary:
          "import a file of invoices by Content-Type: text/csv (see the template), application/xml or text/xml (UBL 2.1 Invoice/CreditNote, or UN/CEFACT CII as in Factur-X/ZUGFeRD), application/pdf (a Factur-X/ZUGFeRD PDF: its embedded XML is read, problems located as `factur-x.xml: <XPath>`), application/json; all or nothing: a bad file is refused whole with every problem by line or XPath",
        permission: "receivables:write",
        query: InvoiceImportQuery,
        responses: fileImport.importResponses(ImportedInvoices, {
          dryRun: "dry run: every invoice would be recorded",
          stored: "every invoice recorded",
        }),
        errors: fileImport.IMPORT_ERRORS,
      },
      async (c) => {
        const { direction, update, dryRun } = c.req.valid("query");
        const format = fileImport.bodyFormat(c, ["csv", "xml", "json", "pdf"]);
        // A PDF is binary: read as bytes, never decoded as text; text must be UTF-8.
        let content: InvoiceFileContent;
        if (format === "pdf")
          content = { format, bytes: new Uint8Array(await c.req.arrayBuffer()) };
        else {
          const body = await strictBodyText(c, format);
          if (!body.ok) return body.response;
          content = { format, text: body.text };
        }
        const parsed = await readInvoiceFile(content, credit.catalog, direction);
        // A PDF over a reading limit is too large to read, not a wrong invoice: 413, naming the limit.
        if (!parsed.ok && parsed.limit)
          return c.json(
            errorBody(
              "pdf_limit",
              parsed.problems[0]?.message ?? "the PDF is too large to read",
              parsed.limit,
              parsed.problems,
            ),
            413,
          );
        if (!parsed.ok) return fileImport.refuseFile(c, parsed.problems, "invoice");
        const checkOnly = dryRun === "true";
        const fileFormat = invoiceFileFormat(parsed.items, format);
        const imported = fileImport.runImport(c, () =>
          recordInvoiceFile(credit, parsed, c.get("actor"), {
            dryRun: checkOnly,
            update: update === "true",
            format,
          }),
        );
        if (!imported.ok) return imported.response;
        return fileImport.importedAnswer(c, checkOnly, imported.results.length, {
          format: fileFormat,
          invoices: imported.results.map((result) => result.invoice),
          notes: parsed.notes,
        });
      },
    )
    .route(
      ...fileImport.csvTemplateRoute(
        "/invoices/template.csv",
        "the invoice CSV layout: header and example rows (one row per invoice line)",
        "invoices-template.csv",
        invoiceCsvTemplate,
      ),
    );
}

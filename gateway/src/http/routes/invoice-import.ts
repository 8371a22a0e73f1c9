import type { InputProblem, Invoice, Payment } from "@comptoir/contracts";
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  formatOf,
  type InvoiceFileFormat,
  invoiceCsvTemplate,
  type ParseResult,
  type Party,
  parseInvoiceFile,
  parseInvoicePdf,
  parsePaymentCsv,
  parsePaymentJson,
  paymentCsvTemplate,
} from "../../invoice-files/index.js";
import type { Catalog } from "../../store/catalog.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { ApiError, errorBody } from "../errors.js";
import { strictBodyText } from "../utf8-body.js";
import { valid } from "../validate.js";
import { ImportRefused, recordEvery, refuseImport } from "./import-records.js";
import { AllocationOutSchema, InvoiceSummarySchema } from "./invoices.js";

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
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .describe(
      "true: check the file as a real import would (invoices already recorded, customers, credit notes), every problem listed, and store nothing; 200 when it would be imported",
    ),
});

const PaymentImportQuery = z.strictObject({ dryRun: InvoiceImportQuery.shape.dryRun });

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

const ImportedPayments = z.object({
  dryRun: z.boolean().optional().describe("present and true: checked only, nothing stored"),
  imported: z.number().int().describe("0 on a dry run"),
  payments: z.array(
    z.object({
      id: z.string(),
      customer: z.string().nullable(),
      letter: z.string().nullable(),
      applied: z.number().int(),
      unapplied: z.number().int(),
      allocations: z
        .array(AllocationOutSchema)
        .describe(
          "the matches made of it: invoice, amount, letter, rule, actor (GET /payments/{id} shows them later)",
        ),
    }),
  ),
});

const CSV = "text/csv; charset=utf-8";

export const invoiceImportDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/invoices/import",
    summary:
      "import a file of invoices by Content-Type: text/csv (see the template), application/xml or text/xml (UBL 2.1 Invoice/CreditNote, or UN/CEFACT CII as in Factur-X/ZUGFeRD), application/pdf (a Factur-X/ZUGFeRD PDF: its embedded XML is read, problems located as `factur-x.xml: <XPath>`), application/json; all or nothing: a bad file is refused whole with every problem by line or XPath",
    permission: "receivables:write",
    query: InvoiceImportQuery,
    responses: {
      200: { description: "dry run: every invoice would be recorded", schema: ImportedInvoices },
      201: { description: "every invoice recorded", schema: ImportedInvoices },
    },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/invoices/template.csv",
    summary: "the invoice CSV layout: header and example rows (one row per invoice line)",
    permission: "receivables:read",
    responses: { 200: { description: "CSV template", contentType: "text/csv" } },
  },
  {
    method: "post",
    path: "/payments/import",
    summary:
      "import payments received: a bank export (text/csv: date, amount, label, reference, payer; `;` and decimal commas accepted) or JSON payments; each is applied as POST /payments does; all or nothing, every refused payment listed",
    permission: "receivables:write",
    query: PaymentImportQuery,
    responses: {
      200: { description: "dry run: every payment would be recorded", schema: ImportedPayments },
      201: { description: "every payment recorded and applied", schema: ImportedPayments },
    },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/payments/template.csv",
    summary: "the payments CSV layout",
    permission: "receivables:read",
    responses: { 200: { description: "CSV template", contentType: "text/csv" } },
  },
];

/** A 400 listing every problem of the file; nothing was stored. */
function refuseFile(c: Context, problems: InputProblem[], what: string) {
  const shown = problems.slice(0, 5).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more, see problems)` : "";
  return c.json(
    errorBody(
      "invalid_file",
      `the ${what} file was refused, nothing imported — ${shown.join("; ")}${more}`,
      problems[0]?.path,
      problems,
    ),
    400,
  );
}

/**
 * Our customer id for a buyer named in an XML invoice: its identifier or
 * legal id when one is a customer id, else the customer whose name matches
 * (case and accents aside), else the identifier as written (the import
 * then says that no such customer exists).
 */
function customerResolver(catalog: Catalog) {
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

const CONTENT_TYPE: Record<InvoiceFileFormat, string> = {
  csv: "text/csv",
  xml: "application/xml",
  json: "application/json",
  pdf: "application/pdf",
};

/** The body's format from its Content-Type, refused with a 415 unless one of `allowed`. */
function bodyFormat<F extends InvoiceFileFormat>(c: Context, allowed: readonly F[]): F {
  const format = formatOf(c.req.header("content-type"));
  if (!format || !(allowed as readonly InvoiceFileFormat[]).includes(format)) {
    throw new ApiError(
      415,
      "unsupported_type",
      `send the file with Content-Type ${allowed.map((f) => CONTENT_TYPE[f]).join(", ")} (got ${c.req.header("content-type") ?? "none"})`,
    );
  }
  return format as F;
}

export function invoiceImportRoutes(deps: RouteDeps) {
  const { credit, tokens, ledger } = deps;
  const publish = (customers: Iterable<string | null | undefined>) => {
    for (const customer of new Set(customers)) if (customer) void credit.publishCustomer(customer);
  };
  return new Hono<GatewayEnv>()
    .get("/invoices/template.csv", requirePermission(tokens, "receivables:read"), (c) =>
      c.body(invoiceCsvTemplate(), 200, {
        "content-type": CSV,
        "content-disposition": 'attachment; filename="invoices-template.csv"',
      }),
    )
    .get("/payments/template.csv", requirePermission(tokens, "receivables:read"), (c) =>
      c.body(paymentCsvTemplate(), 200, {
        "content-type": CSV,
        "content-disposition": 'attachment; filename="payments-template.csv"',
      }),
    )
    .post(
      "/invoices/import",
      requirePermission(tokens, "receivables:write"),
      valid("query", InvoiceImportQuery),
      async (c) => {
        const { direction, update, dryRun } = c.req.valid("query");
        const format = bodyFormat(c, ["csv", "xml", "json", "pdf"]);
        const options = { direction, customerOf: customerResolver(credit.catalog) };
        // A PDF is binary: read as bytes, never decoded as text; text must be UTF-8.
        let parsed: ParseResult<Invoice>;
        if (format === "pdf")
          parsed = await parseInvoicePdf(new Uint8Array(await c.req.arrayBuffer()), options);
        else {
          const body = await strictBodyText(c, format);
          if (!body.ok) return body.response;
          parsed = parseInvoiceFile(body.text, format, options);
        }
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
        if (!parsed.ok) return refuseFile(c, parsed.problems, "invoice");
        const actor = c.get("actor");
        const checkOnly = dryRun === "true";
        let results: ReturnType<typeof credit.receivables.recordInvoice>[];
        try {
          results = recordEvery(
            deps.store.db,
            parsed.items,
            (invoice) => `invoice ${invoice.number}`,
            (invoice) =>
              credit.receivables.recordInvoice(invoice, actor, { update: update === "true" }),
            {
              dryRun: checkOnly,
              finish: (recorded) =>
                ledger.record(
                  "invoices.imported",
                  {
                    format: parsed.items[0]?.source?.format ?? format,
                    count: recorded.length,
                    invoices: parsed.items.map((invoice) => invoice.number),
                    notes: parsed.notes,
                  },
                  actor,
                ),
            },
          );
        } catch (error) {
          if (error instanceof ImportRefused) return refuseImport(c, error);
          throw error;
        }
        if (!checkOnly) publish(results.map((result) => result.invoice.customer));
        return c.json(
          {
            format: parsed.items[0]?.source?.format ?? format,
            ...(checkOnly ? { dryRun: true } : {}),
            imported: checkOnly ? 0 : results.length,
            invoices: results.map((result) => result.invoice),
            notes: parsed.notes,
          },
          checkOnly ? 200 : 201,
        );
      },
    )
    .post(
      "/payments/import",
      requirePermission(tokens, "receivables:write"),
      valid("query", PaymentImportQuery),
      async (c) => {
        const checkOnly = c.req.valid("query").dryRun === "true";
        const format = bodyFormat(c, ["csv", "json"]);
        const body = await strictBodyText(c, format);
        if (!body.ok) return body.response;
        const text = body.text;
        const parsed: ParseResult<Payment> =
          format === "json"
            ? parsePaymentJson(text)
            : parsePaymentCsv(text, { currency: credit.currency });
        if (!parsed.ok) return refuseFile(c, parsed.problems, "payments");
        const actor = c.get("actor");
        let results: ReturnType<typeof credit.receivables.recordPayment>[];
        try {
          results = recordEvery(
            deps.store.db,
            parsed.items,
            (payment, index) => `payment ${payment.id} (row ${index + 1})`,
            (payment) => credit.receivables.recordPayment(payment, actor),
            {
              dryRun: checkOnly,
              finish: (recorded) =>
                ledger.record(
                  "payments.imported",
                  { count: recorded.length, payments: parsed.items.map((payment) => payment.id) },
                  actor,
                ),
            },
          );
        } catch (error) {
          if (error instanceof ImportRefused) return refuseImport(c, error);
          throw error;
        }
        if (!checkOnly) publish(results.map((result) => result.customer));
        return c.json(
          {
            ...(checkOnly ? { dryRun: true } : {}),
            imported: checkOnly ? 0 : results.length,
            payments: results.map((result) => ({
              id: result.payment.id,
              customer: result.customer,
              letter: result.letter,
              applied: result.allocations
                .filter((allocation) => allocation.source === "payment")
                .reduce((sum, allocation) => sum + allocation.amount, 0),
              unapplied: result.unapplied,
              allocations: result.allocations,
            })),
          },
          checkOnly ? 200 : 201,
        );
      },
    );
}

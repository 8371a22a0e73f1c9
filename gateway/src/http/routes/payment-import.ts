import type { Payment } from "@comptoir/contracts";
import { z } from "zod";
import { paymentFileParsers } from "../../file-imports/payments.js";
import type { ParseResult } from "../../file-readers/parse-result.js";
import { paymentCsvTemplate } from "../../payment-files/index.js";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";
import * as fileImport from "./file-import-answers.js";
import { AllocationOutSchema } from "./invoices.js";

const PaymentImportQuery = z.strictObject({ dryRun: fileImport.DryRunQueryField });

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

/** A file of payments received: parsed here, recorded and applied by `credit.payments`. */
export function paymentImportRoutes(deps: RouteDeps): RouteGroup {
  const { credit, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/payments/import",
        summary:
          "import payments received: a bank export (text/csv: date, amount, label, reference, payer; `;` and decimal commas accepted) or JSON payments; each is applied as POST /payments does; all or nothing, every refused payment listed",
        permission: "receivables:write",
        query: PaymentImportQuery,
        responses: fileImport.importResponses(ImportedPayments, {
          dryRun: "dry run: every payment would be recorded",
          stored: "every payment recorded and applied",
        }),
        errors: fileImport.IMPORT_ERRORS,
      },
      async (c) => {
        const checkOnly = c.req.valid("query").dryRun === "true";
        const read = await fileImport.readCsvOrJson<ParseResult<Payment>>(
          c,
          paymentFileParsers(credit.currency),
          "payments",
        );
        if (!read.ok) return read.response;
        const parsed = read.file;
        const imported = fileImport.runImport(c, () =>
          credit.payments.import(parsed.items, c.get("actor"), { dryRun: checkOnly }),
        );
        if (!imported.ok) return imported.response;
        return fileImport.importedAnswer(c, checkOnly, imported.results.length, {
          payments: imported.results.map((result) => ({
            id: result.payment.id,
            customer: result.customer,
            letter: result.letter,
            applied: result.allocations
              .filter((allocation) => allocation.source === "payment")
              .reduce((sum, allocation) => sum + allocation.amount, 0),
            unapplied: result.unapplied,
            allocations: result.allocations,
          })),
        });
      },
    )
    .route(
      ...fileImport.csvTemplateRoute(
        "/payments/template.csv",
        "the payments CSV layout",
        "payments-template.csv",
        paymentCsvTemplate,
      ),
    );
}

import { strictBodyText } from "@comptoir/contracts/http";
import type { Context } from "hono";
import { z } from "zod";
import {
  customerCsvTemplate,
  importCustomers,
  importProducts,
  type MasterDataDeps,
  type MasterDataOutcome,
  type MasterDataRequest,
  productCsvTemplate,
} from "../../master-data/index.js";
import type { RouteDeps } from "../context.js";
import { errorBody } from "../errors.js";
import type { Permission } from "../roles.js";
import { RouteGroup } from "../route-group.js";
import * as fileImport from "./file-import-answers.js";

const MasterDataImportQuery = z.strictObject({
  dryRun: fileImport.DryRunQueryField.describe(
    "true: check the file as a real import would (duplicates, GTINs of other products), every problem listed, and store nothing; the answer lists what would be created, updated and left unchanged",
  ),
});

const Ids = z.array(z.string());

const MasterDataImported = z.object({
  dryRun: z.boolean().optional().describe("present and true: checked only, nothing stored"),
  format: z.enum(["csv", "json"]),
  imported: z.number().int().describe("created + updated, each a ledger entry; 0 on a dry run"),
  created: z.number().int().describe("new ids"),
  updated: z
    .number()
    .int()
    .describe("ids stored before and replaced (the ledger keeps what each was before)"),
  unchanged: z.number().int().describe("given exactly as stored: nothing written"),
  ids: z
    .strictObject({ created: Ids, updated: Ids, unchanged: Ids })
    .optional()
    .describe("on a dry run: which ids would be created, updated and left unchanged"),
});

/** One kind of master data, as its routes serve it. */
interface Kind {
  /** "customers", "products": the path and the wrapper key. */
  plural: string;
  write: Permission;
  read: Permission;
  importFile(deps: MasterDataDeps, request: MasterDataRequest): MasterDataOutcome;
  template(): string;
  /** The CSV columns, for the summary. */
  columns: string;
}

const CUSTOMERS: Kind = {
  plural: "customers",
  write: "customers:write",
  read: "customers:read",
  importFile: importCustomers,
  template: customerCsvTemplate,
  columns:
    "id, name, credit_limit (a decimal such as 5000.00, or unlimited), currency (empty: the site's), payment_terms_days",
};

const PRODUCTS: Kind = {
  plural: "products",
  write: "products:write",
  read: "products:read",
  importFile: importProducts,
  template: productCsvTemplate,
  columns:
    "sku, name, gtin, other_gtins (separated by spaces or |), unit_price, unit_cost (decimals such as 12.50), currency (empty: the site's), category; GTINs of 8 to 13 digits are padded to 14",
};

/**
 * Master data from the ERP: a whole file of customers or products (CSV or
 * JSON), checked whole, then each created or replaced in ONE transaction
 * (master-data/). Mounted before the customer and product routes, so that
 * `template.csv` is not read as an id.
 */
export function masterDataImportRoutes(deps: RouteDeps): RouteGroup {
  const importDeps: MasterDataDeps = {
    catalog: deps.catalog,
    currency: deps.credit.currency,
    logger: deps.log,
  };
  const group = new RouteGroup(deps.tokens);
  for (const kind of [CUSTOMERS, PRODUCTS]) {
    const noun = kind.plural.slice(0, -1);
    group
      .route(
        {
          method: "post",
          path: `/${kind.plural}/import`,
          summary: `create or replace ${kind.plural} from a file, by Content-Type: text/csv (${kind.columns}; \`;\` and decimal commas accepted; see the template) or application/json (one ${noun}, an array or { "${kind.plural}": [...] }, as POST /${kind.plural} takes them); whole-file validation: a file with any problem (a bad field, a ${noun} given twice, a GTIN of another product) is refused whole with every problem by line and column or JSON path; otherwise, in one transaction, each new ${noun} is created and each changed one replaced, each recorded in the gateway ledger (with what it was before), an identical one left alone`,
          permission: kind.write,
          query: MasterDataImportQuery,
          responses: fileImport.importResponses(MasterDataImported, {
            dryRun: `dry run: the file would be imported; what would be created, updated and left unchanged`,
            stored: `every ${noun} of the file created, replaced or found unchanged`,
          }),
          errors: [400, 409, 413, 415],
        },
        async (c) => {
          const dryRun = c.req.valid("query").dryRun === "true";
          const format = fileImport.bodyFormat(c, ["csv", "json"]);
          const body = await strictBodyText(c, format);
          if (!body.ok) return body.response;
          const outcome = kind.importFile(importDeps, {
            text: body.text,
            format,
            dryRun,
            actor: c.get("actor"),
          });
          if (!outcome.ok) return refused(c, outcome, noun);
          const { created, updated, unchanged } = outcome;
          return c.json(
            {
              ...(dryRun ? { dryRun: true } : {}),
              format,
              imported: dryRun ? 0 : created.length + updated.length,
              created: created.length,
              updated: updated.length,
              unchanged: unchanged.length,
              ...(dryRun ? { ids: { created, updated, unchanged } } : {}),
            },
            dryRun ? 200 : 201,
          );
        },
      )
      .route(
        ...fileImport.csvTemplateRoute(
          `/${kind.plural}/template.csv`,
          `the ${noun} CSV layout: the header and example rows, which import as they are`,
          `${kind.plural}-template.csv`,
          kind.template,
          kind.read,
        ),
      );
  }
  return group;
}

/** 400 for a file with problems of its own, 409 for one that only conflicts with what is stored: every problem listed. */
function refused(
  c: Context,
  outcome: Extract<MasterDataOutcome, { ok: false }>,
  noun: string,
): Response {
  if (outcome.status === 400) return fileImport.refuseFile(c, outcome.problems, noun);
  const first = outcome.problems[0];
  const more =
    outcome.problems.length > 1 ? ` (and ${outcome.problems.length - 1} more, see problems)` : "";
  return c.json(
    errorBody(
      "conflict",
      `the ${noun} file was refused, nothing imported — ${first ? `${first.path}: ${first.message}` : "it conflicts with what is stored"}${more}`,
      first?.path,
      outcome.problems,
    ),
    409,
  );
}

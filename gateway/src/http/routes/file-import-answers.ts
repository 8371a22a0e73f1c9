import type { InputProblem } from "@comptoir/contracts";
import { strictBodyText } from "@comptoir/contracts/http";
import type { Context } from "hono";
import { z } from "zod";
import { type FileFormat, formatOf } from "../../file-readers/format.js";
import { ImportRefused } from "../../receivables/batch.js";
import { ApiError, errorBody } from "../errors.js";
import type { Permission } from "../roles.js";
import type { RouteDefinition } from "../route-group.js";

/** What the invoice, payment and order file imports read and answer: shared by their route groups. */

export const DryRunQueryField = z
  .enum(["true", "false"])
  .default("false")
  .describe(
    "true: check the file as a real import would (invoices already recorded, customers, credit notes), every problem listed, and store nothing; 200 when it would be imported",
  );

export const CSV = "text/csv; charset=utf-8";

const REFUSAL_CODES = {
  400: "invalid_input",
  404: "not_found",
  409: "conflict",
  422: "rule_refused",
} as const;

/** A request refused by what is stored or by a rule (an import, an order): its status and every problem, located. */
export interface Refusal extends Error {
  readonly status: keyof typeof REFUSAL_CODES;
  readonly problems: InputProblem[];
}

/**
 * Runs `work`; a refusal of the class `Refused` becomes its answer (every
 * problem, in the API's error shape, `prefix` before the message) and
 * nothing was stored. Any other error is thrown on.
 */
export function answerRefusal<T>(
  c: Context,
  Refused: abstract new (...args: never[]) => Refusal,
  work: () => T,
  prefix = "",
): { ok: true; value: T } | { ok: false; response: Response } {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return {
      ok: false,
      response: c.json(
        errorBody(
          REFUSAL_CODES[error.status],
          prefix + error.message,
          error.problems[0]?.path,
          error.problems,
        ),
        error.status,
      ),
    };
  }
}

/** A 400 listing every problem of the file; nothing was stored. */
export function refuseFile(c: Context, problems: InputProblem[], what: string) {
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

const CONTENT_TYPE: Record<FileFormat, string> = {
  csv: "text/csv",
  xml: "application/xml",
  json: "application/json",
  pdf: "application/pdf",
};

/** The body's format from its Content-Type, refused with a 415 unless one of `allowed`. */
export function bodyFormat<F extends FileFormat>(c: Context, allowed: readonly F[]): F {
  const format = formatOf(c.req.header("content-type"));
  if (!format || !(allowed as readonly FileFormat[]).includes(format)) {
    throw new ApiError(
      415,
      "unsupported_type",
      `send the file with Content-Type ${allowed.map((f) => CONTENT_TYPE[f]).join(", ")} (got ${c.req.header("content-type") ?? "none"})`,
    );
  }
  return format as F;
}

/**
 * The body of a CSV or JSON file import, read as UTF-8 text and parsed by
 * the parser of its Content-Type. A body of another type (415), not text,
 * or a file with problems (400, every problem listed) is the answer instead.
 */
export async function readCsvOrJson<
  R extends { ok: true } | { ok: false; problems: InputProblem[] },
>(
  c: Context,
  parse: Record<"csv" | "json", (text: string) => R>,
  what: string,
): Promise<{ ok: true; file: Extract<R, { ok: true }> } | { ok: false; response: Response }> {
  const format = bodyFormat(c, ["csv", "json"]);
  const body = await strictBodyText(c, format);
  if (!body.ok) return body;
  const parsed: { ok: true } | { ok: false; problems: InputProblem[] } = parse[format](body.text);
  if (!parsed.ok) return { ok: false, response: refuseFile(c, parsed.problems, what) };
  return { ok: true, file: parsed as Extract<R, { ok: true }> };
}

/** A file import's success answers: 200 for a dry run (nothing stored), 201 once stored. */
export function importResponses(
  schema: z.ZodType,
  described: { dryRun: string; stored: string },
): RouteDefinition["responses"] {
  return {
    200: { description: described.dryRun, schema },
    201: { description: described.stored, schema },
  };
}

/** The errors a file import can answer: bad file, conflict, too large, wrong type, refused by a rule. */
export const IMPORT_ERRORS = [400, 409, 413, 415, 422];

/**
 * Runs the import; a batch the rules refuse (`ImportRefused`) becomes its
 * answer, with every problem, and nothing is stored.
 */
export function runImport<T>(
  c: Context,
  importBatch: () => T,
): { ok: true; results: T } | { ok: false; response: Response } {
  const ran = answerRefusal(c, ImportRefused, importBatch);
  return ran.ok ? { ok: true, results: ran.value } : ran;
}

/** The answer of an import that went through: 200 and `dryRun: true` when only checked, else 201. */
export function importedAnswer(
  c: Context,
  checkOnly: boolean,
  count: number,
  body: Record<string, unknown>,
) {
  return c.json(
    { ...(checkOnly ? { dryRun: true } : {}), imported: checkOnly ? 0 : count, ...body },
    checkOnly ? 200 : 201,
  );
}

/** The definition and handler of a file import's CSV template download (by default for those who read receivables). */
export function csvTemplateRoute(
  path: string,
  summary: string,
  fileName: string,
  template: () => string,
  permission: Permission = "receivables:read",
): [RouteDefinition, (c: Context) => Response] {
  return [
    {
      method: "get",
      path,
      summary,
      permission,
      responses: { 200: { description: "CSV template", contentType: "text/csv" } },
    },
    (c) =>
      c.body(template(), 200, {
        "content-type": CSV,
        "content-disposition": `attachment; filename="${fileName}"`,
      }),
  ];
}

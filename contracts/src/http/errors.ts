import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { describeProblem, type InputProblem, type IssueLike, toProblems } from "../issues.js";

/**
 * The one error shape of the node's and the gateway's HTTP APIs: a 400 lists every
 * input problem in `problems`; a gateway 500 carries the id its log files the cause under.
 */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    path: z.string().optional(),
    problems: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    /** On a 500: the id the gateway's log files the cause under. */
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(
  code: string,
  message: string,
  path?: string,
  problems?: InputProblem[],
): ErrorBody {
  return {
    error: { code, message, ...(path ? { path } : {}), ...(problems ? { problems } : {}) },
  };
}

export function sendError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  path?: string,
) {
  return c.json(errorBody(code, message, path), status);
}

/** What a request part is called in a message: the validator's target names are for code. */
const WHERE: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
};

/** Every problem of a failed parse of one request part, as a 400 answer. */
export function invalidInput(c: Context, issues: readonly IssueLike[], target: string) {
  const problems = toProblems(issues);
  const where = WHERE[target] ?? target;
  const message = `invalid ${where}: ${problems.map(describeProblem).join("; ")}`;
  return c.json(errorBody("invalid_input", message, problems[0]?.path || undefined, problems), 400);
}

/** The 404 of a path no route answers, naming it. */
export function notFound(c: Context) {
  return sendError(c, 404, "not_found", `no such resource: ${c.req.method} ${c.req.path}`);
}

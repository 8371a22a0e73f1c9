import { describeProblem, type InputProblem, toProblems } from "@comptoir/contracts";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/** The one error shape of the gateway's API; a 400 lists every input problem in `problems`. */
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

/** Thrown by a handler to answer with an error; nothing was changed. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

const WHERE: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
};

/** Every problem of a failed parse, as a 400 answer. */
export function invalidInput(c: Context, issues: readonly IssueLike[], target: string) {
  const problems = toProblems(issues);
  const where = WHERE[target] ?? target;
  const message = `invalid ${where}: ${problems.map(describeProblem).join("; ")}`;
  return c.json(errorBody("invalid_input", message, problems[0]?.path || undefined, problems), 400);
}

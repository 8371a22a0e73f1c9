import { describeProblem, type InputProblem, toProblems } from "@comptoir/contracts";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error shape of the node's HTTP API. `problems` lists every input problem of a 400. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string; problems?: InputProblem[] };
}

export function errorBody(code: string, message: string, path?: string): ErrorBody {
  return { error: { code, message, ...(path ? { path } : {}) } };
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

/** A refusal on business grounds (422): the request was well formed, but nothing was done. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "Refusal";
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

/**
 * The @hono/zod-validator hook of every route: a failed parse answers 400
 * with every problem, each located by its path, and the handler never runs.
 */
export function validationHook(
  result: { success: true } | { success: false; error: { issues: readonly IssueLike[] } },
  c: Context,
  target: string,
) {
  if (result.success) return undefined;
  const problems = toProblems(result.error.issues);
  const where = WHERE[target] ?? target;
  const message = `invalid ${where}: ${problems.map(describeProblem).join("; ")}`;
  const first = problems[0]?.path;
  return c.json(
    { error: { code: "invalid_input", message, ...(first ? { path: first } : {}), problems } },
    400,
  );
}

import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { invalidInput } from "./errors.js";
import { readJsonBody } from "./utf8-body.js";

/**
 * zod validation of one part of a request: 400 with every problem, and the
 * handler never runs. A JSON body must be UTF-8 and JSON first (400, saying
 * which it is not): it is read, decoded and parsed once, here, then
 * validated as zValidator would, for the node and the gateway alike.
 */
export function valid<T extends z.ZodType, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  const validator = zValidator(target, schema, (result, c) =>
    result.success ? undefined : invalidInput(c, result.error.issues, target),
  );
  if (target !== "json") return validator;
  // Same type as the validator, so that handlers keep `c.req.valid("json")` typed.
  return (async (c, next) => {
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    const result = await parseBody(schema, body.value);
    if (!result.success) return invalidInput(c, result.error.issues, target);
    c.req.addValidatedData("json", result.data as object);
    await next();
  }) as typeof validator;
}

/**
 * The synchronous parse, which costs a fraction of the asynchronous one on
 * every request; only a schema with an asynchronous refinement needs that
 * one, and zod says so by throwing before it has decided anything.
 */
function parseBody<T extends z.ZodType>(
  schema: T,
  value: unknown,
): ReturnType<T["safeParse"]> | ReturnType<T["safeParseAsync"]> {
  try {
    return schema.safeParse(value) as ReturnType<T["safeParse"]>;
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError)
      return schema.safeParseAsync(value) as ReturnType<T["safeParseAsync"]>;
    throw error;
  }
}

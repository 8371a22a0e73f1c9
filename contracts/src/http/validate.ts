import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { invalidInput } from "./errors.js";
import { refuseInvalidUtf8Json } from "./utf8-body.js";

/**
 * zod validation of one part of a request: 400 with every problem, and the
 * handler never runs. A JSON body must be UTF-8 first (400 naming the field).
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
  return (async (c, next) =>
    (await refuseInvalidUtf8Json(c)) ?? validator(c, next)) as typeof validator;
}

import { decodeUtf8, invalidUtf8JsonProblem } from "@comptoir/contracts";
import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import type { z } from "zod";
import { validationHook } from "./errors.js";

/**
 * zod validation of one part of a request, answering 400 with every problem in our error shape.
 * A JSON body must be UTF-8 first: a lenient decoding would put U+FFFD into the signed ledger.
 */
export function valid<T extends z.ZodType, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  const validator = zValidator(target, schema, (result, c) => validationHook(result, c, target));
  if (target !== "json") return validator;
  // Same type as the validator, so that handlers keep `c.req.valid("json")` typed.
  return (async (c, next) =>
    (await refuseInvalidUtf8(c)) ?? validator(c, next)) as typeof validator;
}

/** 400 naming the field (or the byte) of a JSON body that is not UTF-8; its bytes stay cached for the validator. */
async function refuseInvalidUtf8(c: Context): Promise<Response | undefined> {
  if (!/json/i.test(c.req.header("content-type") ?? "")) return undefined;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return undefined;
  const problem = invalidUtf8JsonProblem(bytes, decoded.offset);
  const path = problem.path || undefined;
  return c.json(
    {
      error: {
        code: "invalid_input",
        message: `invalid request body: ${problem.message}`,
        ...(path ? { path } : {}),
        problems: [problem],
      },
    },
    400,
  );
}

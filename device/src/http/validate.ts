import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { validationHook } from "./errors.js";

/** zod validation of one part of a request, answering 400 with every problem in our error shape. */
export function valid<T extends z.ZodType, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result, c) => validationHook(result, c, target));
}

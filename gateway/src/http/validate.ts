import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { invalidInput } from "./errors.js";

/** zod validation of one part of a request: 400 with every problem, and the handler never runs. */
export function valid<T extends z.ZodType, Target extends "json" | "query" | "param">(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result, c) =>
    result.success ? undefined : invalidInput(c, result.error.issues, target),
  );
}

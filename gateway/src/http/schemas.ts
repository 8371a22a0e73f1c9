import { EpcSchema, parseIsoTime } from "@comptoir/contracts";
import { z } from "zod";

/** An ISO 8601 time with its offset (2026-11-22T10:00:00Z), as a Date. */
export const TimeInput = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    try {
      return parseIsoTime(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

/** An EPC as people type it: trimmed, upper-cased, then checked. */
export const EpcInput = z.string().trim().toUpperCase().pipe(EpcSchema);

/** The movement and stock-row views are the dashboard's too: defined once, in contracts. */
export { MovementSchema, StockRowSchema } from "@comptoir/contracts";

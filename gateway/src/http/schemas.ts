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

export const MovementSchema = z.strictObject({
  chain: z.string(),
  seq: z.number().int(),
  epc: z.string(),
  sku: z
    .string()
    .nullable()
    .describe(
      "the item's product: the SKU its tag was commissioned to, else the product with its GTIN; null when neither is known",
    ),
  gtin: z.string().nullable().describe("the GTIN of an SGTIN tag"),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  at: z.string(),
  receivedAt: z.string(),
});

export const StockRowSchema = z.strictObject({
  sku: z
    .string()
    .nullable()
    .describe(
      "the product; null: items of a GTIN no product has (then `gtin` says which), or tags nobody commissioned",
    ),
  gtin: z.string().optional().describe("only on rows of an unknown product: its GTIN"),
  zone: z.string(),
  count: z.number().int(),
});

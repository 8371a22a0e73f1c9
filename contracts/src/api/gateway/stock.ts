import { z } from "zod";

/**
 * The gateway's stock and movement views (GET /api/v1/stock, /movements,
 * /tags/:epc, and the live feed's `stock` and `movement` events): one
 * definition for the routes that validate and document them and for the
 * dashboard that reads them.
 */
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
export type MovementView = z.infer<typeof MovementSchema>;

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
/** Same shape as the projection's StockRow (contracts/src/stock/projection.ts). */
export type StockRowView = z.infer<typeof StockRowSchema>;

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

/** GET /api/v1/movements/events: movements of one node, kind, product, zones and order, observed together, as one event. */
export const MovementEventSchema = z.strictObject({
  chain: z.string().describe("the node"),
  kind: z.string(),
  sku: z.string().nullable().describe("the items' product, as in a movement"),
  gtin: z.string().nullable(),
  name: z.string().nullable().describe("the product's name in the catalog; null when unknown"),
  from: z
    .string()
    .nullable()
    .describe(
      "null: the node did not say (from outside the site, or a put-away seen only where it ended)",
    ),
  to: z.string().nullable().describe("null: out of the site (shipped, sold)"),
  cameFrom: z
    .string()
    .nullable()
    .describe("when `from` is null: the zone the items were in before, as the gateway knows it"),
  order: z.string().nullable().describe("a shipment's order"),
  sale: z.string().nullable().describe("a counter sale's id"),
  count: z.number().int().describe("how many items"),
  epcs: z.array(z.string()).describe("their EPCs (the first 500)"),
  firstAt: z.string().describe("the first observation, by the node's clock"),
  lastAt: z.string(),
  receivedAt: z.string().describe("when the gateway received the newest"),
});
export type MovementEventView = z.infer<typeof MovementEventSchema>;

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

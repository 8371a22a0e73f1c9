import { z } from "zod";
import { CostMethodSchema } from "./valuation.js";

const Minor = z.number().int();

/**
 * Margin per customer invoice line and per counter sale line: price − COGS,
 * the COGS being the cost of the units that left for that order (or sale)
 * and product by the site's method. `floor` is the margin rate (percent of
 * the price) the product or its category must keep.
 */
export const MarginRowSchema = z.object({
  source: z.enum(["invoice", "sale"]),
  /** The customer invoice number, or the counter sale id. */
  document: z.string(),
  /** The invoice line id, or the sale line's index from 1. */
  line: z.string(),
  order: z.string().nullable().describe("the order the goods left under (an invoice's BT-13)"),
  customer: z.string().nullable(),
  sku: z.string().nullable(),
  name: z.string().nullable(),
  date: z.string().describe("the invoice's issue date, or the sale's time"),
  quantity: z.number(),
  revenue: Minor.describe("the line's net amount"),
  cogs: Minor.nullable().describe("null: the product is unknown, nothing to cost"),
  margin: Minor.nullable(),
  rate: z.number().nullable().describe("margin / revenue × 100, one decimal"),
  floor: z.number().nullable().describe("the floor in force, percent"),
  estimated: z
    .boolean()
    .describe(
      "true: some units were costed without having been seen leaving (catalog or next FIFO cost)",
    ),
  provisional: z
    .boolean()
    .describe("true: some units' layers still wait for their supplier invoice"),
  flag: z.enum(["ok", "below-margin", "below-cost"]),
});
export type MarginRowView = z.infer<typeof MarginRowSchema>;

export const MarginListSchema = z.object({
  method: CostMethodSchema,
  currency: z.string(),
  rows: z.array(MarginRowSchema),
  totals: z
    .object({ revenue: Minor, cogs: Minor, margin: Minor, rate: z.number().nullable() })
    .describe("over the rows with a cost (a known product), so that revenue − cogs = margin"),
  uncosted: z
    .object({ rows: z.number().int(), revenue: Minor })
    .describe("the rows of unknown products, left out of the totals"),
});
export type MarginListView = z.infer<typeof MarginListSchema>;

export const MarginFloorsSchema = z.strictObject({
  /** Percent of the price every product must keep; null: none. */
  default: z.number().min(-100).max(100).nullable().default(null),
  /** Per category (the product's `category`). */
  categories: z.record(z.string().min(1).max(64), z.number().min(-100).max(100)).default({}),
  /** Per product (SKU): wins over its category. */
  products: z.record(z.string().min(1).max(64), z.number().min(-100).max(100)).default({}),
});
export type MarginFloors = z.infer<typeof MarginFloorsSchema>;

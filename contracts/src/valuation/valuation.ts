import { z } from "zod";

/**
 * Stock value and cost of goods sold (issue 16; business-rules.md, "Stock
 * value and movement analytics"). Every amount is an integer of minor units
 * of `currency`, the site's (credit.currency).
 *
 * A layer is what one receipt brought in: the units of one product received
 * under one purchase order (or despatch advice), in the order they arrived.
 * Its unit cost is the supplier invoice line's net unit price for that order
 * and product; until that invoice arrives it is the catalog cost, marked
 * provisional, and an invoice that lands later revalues the layer and every
 * unit already drawn from it.
 */

export const COST_METHODS = ["fifo", "average"] as const;
export const CostMethodSchema = z.enum(COST_METHODS);
export type CostMethod = z.infer<typeof CostMethodSchema>;

const Minor = z.number().int();

export const ZoneValueSchema = z.object({
  zone: z.string(),
  quantity: z.number().int(),
  value: Minor.describe(
    "the product's value shared among its zones by quantity (largest remainder)",
  ),
});

export const ValuationRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().describe("units on site at asOf (received and not gone out)"),
  value: Minor.describe("by the method asked"),
  unitCost: Minor.describe("value / quantity, rounded; 0 with no unit"),
  provisionalQuantity: z
    .number()
    .int()
    .describe("units whose layer is still at the catalog cost (no supplier invoice yet)"),
  actualValue: Minor.describe(
    "the units actually on site, each at its own layer's cost (specific identification)",
  ),
  zones: z.array(ZoneValueSchema),
});
export type ValuationRowView = z.infer<typeof ValuationRowSchema>;

export const ValuationReportSchema = z.object({
  asOf: z.string().describe("ISO UTC: the value at this instant"),
  method: CostMethodSchema,
  currency: z.string(),
  rows: z.array(ValuationRowSchema),
  totals: z.object({
    quantity: z.number().int(),
    value: Minor,
    actualValue: Minor,
    provisionalQuantity: z.number().int(),
    provisionalValue: Minor.describe("the part of `value` still at catalog cost"),
  }),
  unvalued: z
    .object({
      unknownProducts: z.number().int().describe("items of a GTIN no product has"),
      plainTags: z.number().int().describe("tags that are no SGTIN and nobody commissioned"),
    })
    .describe("items on site that have no product, so no cost"),
});
export type ValuationReportView = z.infer<typeof ValuationReportSchema>;

export const LayerSchema = z.object({
  sku: z.string(),
  key: z.string().describe("the layer's identity: product and purchase order"),
  order: z.string().nullable().describe("the purchase order (or despatch advice) it came in under"),
  receivedAt: z.string().describe("ISO UTC: its first unit's receipt"),
  quantity: z.number().int(),
  remaining: z.number().int().describe("units not yet drawn on by FIFO"),
  unitCost: Minor,
  provisional: z.boolean().describe("true: catalog cost, no supplier invoice yet"),
  invoice: z.string().nullable().describe("the supplier invoice that set the cost"),
});
export type LayerView = z.infer<typeof LayerSchema>;

export const LayerListSchema = z.object({
  currency: z.string(),
  layers: z.array(LayerSchema),
});
export type LayerListView = z.infer<typeof LayerListSchema>;

export const CogsRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().describe("units gone out (shipped, sold, written off) in the period"),
  shipped: z.number().int(),
  sold: z.number().int().describe("at a counter"),
  writtenOff: z.number().int(),
  cogs: Minor.describe("by the method asked"),
  actualCost: Minor.describe("the units that actually left, each at its own layer's cost"),
  difference: Minor.describe("actualCost − FIFO cost: how far picking strays from oldest first"),
  provisional: z.number().int().describe("units costed at a still provisional layer"),
});
export type CogsRowView = z.infer<typeof CogsRowSchema>;

export const CogsReportSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  method: CostMethodSchema,
  currency: z.string(),
  rows: z.array(CogsRowSchema),
  totals: z.object({
    quantity: z.number().int(),
    cogs: Minor,
    actualCost: Minor,
    difference: Minor,
  }),
});
export type CogsReportView = z.infer<typeof CogsReportSchema>;

/** `GET /valuation/history`: stock value at the end of each day, for the chart. */
export const ValueHistorySchema = z.object({
  method: CostMethodSchema,
  currency: z.string(),
  points: z.array(z.object({ date: z.string(), value: Minor, quantity: z.number().int() })),
});
export type ValueHistoryView = z.infer<typeof ValueHistorySchema>;

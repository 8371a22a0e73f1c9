import { z } from "zod";

const Minor = z.number().int();

/** Turnover and days of stock per product over a period (COGS / average stock value). */
export const RotationRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  cogs: Minor,
  averageValue: Minor.describe("mean of the stock value at the end of each day of the period"),
  turnover: z.number().nullable().describe("cogs / averageValue, two decimals; null with no stock"),
  daysOfStock: z
    .number()
    .nullable()
    .describe("days in the period / turnover, one decimal; null: nothing left"),
  unitsOut: z.number().int(),
  dwellDays: z
    .object({ mean: z.number(), median: z.number(), max: z.number() })
    .nullable()
    .describe("receipt to exit of the units that left in the period (RFID), in days"),
  onSite: z.number().int(),
  oldestAgeDays: z
    .number()
    .nullable()
    .describe("the oldest unit on site now, in days since its receipt"),
  fifoBreaches: z
    .number()
    .int()
    .describe("units that left while an older unit of the product was on site"),
  lastOut: z.string().nullable().describe("ISO UTC: the last unit that left"),
});
export type RotationRowView = z.infer<typeof RotationRowSchema>;

export const RotationReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  currency: z.string(),
  rows: z.array(RotationRowSchema),
});
export type RotationReportView = z.infer<typeof RotationReportSchema>;

/** Dwell time of the units that left, as a histogram, and the oldest units still on site. */
export const DwellReportSchema = z.object({
  buckets: z.array(
    z.object({
      label: z.string().describe("`0-1`, `1-7`, `7-30`, `30-90`, `90+` days"),
      fromDays: z.number(),
      toDays: z.number().nullable(),
      count: z.number().int(),
    }),
  ),
  oldest: z.array(
    z.object({
      epc: z.string(),
      sku: z.string(),
      name: z.string(),
      zone: z.string().nullable(),
      receivedAt: z.string(),
      ageDays: z.number(),
    }),
  ),
});
export type DwellReportView = z.infer<typeof DwellReportSchema>;

/** FIFO discipline: units that left while an older unit of the same product was on site. */
export const FifoDisciplineSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  bySku: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      out: z.number().int(),
      breaches: z.number().int(),
      rate: z.number().describe("percent of the units out that were breaches, two decimals"),
    }),
  ),
  byZone: z.array(
    z.object({
      zone: z
        .string()
        .describe("the zone the unit was picked from; `(unknown)` when it was never seen in one"),
      out: z.number().int(),
      breaches: z.number().int(),
      rate: z.number().describe("percent of the units out that were breaches, two decimals"),
    }),
  ),
  examples: z.array(
    z.object({
      epc: z.string(),
      sku: z.string(),
      at: z.string(),
      zone: z.string().nullable(),
      receivedAt: z.string(),
      olderEpc: z.string(),
      olderReceivedAt: z.string(),
    }),
  ),
});
export type FifoDisciplineView = z.infer<typeof FifoDisciplineSchema>;

export const ABC_CLASSES = ["A", "B", "C"] as const;

export const AbcRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  value: Minor.describe("consumption value (COGS) over the period"),
  share: z.number().describe("percent of the total, two decimals"),
  cumulative: z.number().describe("cumulative percent, products by value descending"),
  class: z.enum(ABC_CLASSES),
  previous: z.enum(ABC_CLASSES).nullable().describe("the class at the previous recorded run"),
});
export type AbcRowView = z.infer<typeof AbcRowSchema>;

export const AbcReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  thresholds: z.object({ a: z.number(), b: z.number() }),
  currency: z.string(),
  rows: z.array(AbcRowSchema),
  runAt: z.string().nullable().describe("set when this report was recorded as a run"),
});
export type AbcReportView = z.infer<typeof AbcReportSchema>;

export const AbcChangeSchema = z.object({
  runAt: z.string(),
  sku: z.string(),
  from: z.enum(ABC_CLASSES).nullable(),
  to: z.enum(ABC_CLASSES),
  value: Minor,
  share: z.number(),
});
export const AbcHistorySchema = z.object({ changes: z.array(AbcChangeSchema) });
export type AbcHistoryView = z.infer<typeof AbcHistorySchema>;

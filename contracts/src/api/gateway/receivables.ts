import { z } from "zod";

/** An aged balance in minor units, by days past due (or since the invoice date). */
export const AgingBucketsSchema = z.object({
  current: z.number().int(),
  "1-30": z.number().int(),
  "31-60": z.number().int(),
  "61-90": z.number().int(),
  "91-120": z.number().int(),
  "over-120": z.number().int(),
});

/** GET /api/v1/receivables/aging (JSON): per customer, then the totals; the dashboard's aged balance. */
export const AgingReportSchema = z.object({
  asOf: z.string(),
  basis: z.enum(["due", "invoice"]),
  currency: z.string(),
  customers: z.array(
    z.object({
      customer: z.string(),
      buckets: AgingBucketsSchema,
      unapplied: z.number().int(),
      total: z.number().int(),
    }),
  ),
  buckets: AgingBucketsSchema,
  unapplied: z
    .number()
    .int()
    .describe("unapplied payments and credit notes, ≤ 0: never netted into a bucket"),
  total: z.number().int(),
  balance: z.number().int().nullable(),
  items: z.array(z.object({}).loose()),
});
export type AgingReportView = z.infer<typeof AgingReportSchema>;

/** GET /api/v1/receivables/dso: days sales outstanding of a month, two ways. */
export const DsoReportSchema = z.object({
  period: z.string(),
  days: z.number().int(),
  receivables: z.number().int(),
  sales: z.number().int(),
  currency: z.string(),
  accounting: z.number().nullable().describe("receivables ÷ sales × days; null without sales"),
  countback: z.number(),
  countbackExhausted: z.boolean(),
  walk: z.array(z.object({ month: z.string(), days: z.number(), absorbed: z.number() })),
});
export type DsoReportView = z.infer<typeof DsoReportSchema>;

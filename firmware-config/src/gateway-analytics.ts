import { CostMethodSchema, MarginFloorsSchema, ReorderRuleSchema } from "@comptoir/contracts";
import { z } from "zod";

/**
 * Stock valuation (issue 16): FIFO ("PEPS") by default, or weighted average
 * cost ("CMUP"). The API can ask for the other method on any report; this
 * one is the site's, used for margins, alerts and the dashboard.
 */
export const ValuationConfigSchema = z.strictObject({
  method: CostMethodSchema.default("fifo"),
});
export type ValuationConfig = z.infer<typeof ValuationConfigSchema>;

/**
 * Movement analytics: margin floors, slow movers, ABC classes and reorder
 * rules. Floors and rules given here are the starting point; the API
 * (`PUT /analytics/margin-floors`, `PUT /analytics/reorder/rules`) changes
 * them and the gateway keeps what it was given last.
 */
export const AnalyticsConfigSchema = z.strictObject({
  marginFloors: MarginFloorsSchema.prefault({}),
  slowMover: z
    .strictObject({
      /** Alert when nothing of a product with units on site has left for this many days. */
      days: z.number().int().min(1).max(3650).default(30),
      /** Alert when a unit has been on site longer than this. */
      maxAgeDays: z.number().int().min(1).max(3650).default(90),
    })
    .prefault({}),
  abc: z
    .strictObject({
      /** Cumulative share of consumption value (percent) that ends class A, then class B. */
      a: z.number().gt(0).lt(100).default(80),
      b: z.number().gt(0).lt(100).default(95),
      /** The period classes are computed over, ending now. */
      periodDays: z.number().int().min(1).max(3650).default(365),
      /** Record a run (and the class changes) this often; 0: only on request. */
      everyHours: z
        .number()
        .min(0)
        .max(24 * 366)
        .default(24),
    })
    .refine((abc) => abc.a < abc.b, { message: "abc.a must be below abc.b", path: ["b"] })
    .prefault({}),
  reorder: z
    .strictObject({ rules: z.array(ReorderRuleSchema).max(10_000).default([]) })
    .prefault({}),
  /** How often time-based alerts (slow movers, old stock) are looked at, in seconds. */
  checkEverySeconds: z.number().int().min(1).max(86_400).default(300),
});
export type AnalyticsConfig = z.infer<typeof AnalyticsConfigSchema>;

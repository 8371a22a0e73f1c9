import { z } from "zod";

/** A customer's exposure against its limit (null: unlimited), in minor units of `currency`. */
export const StandingSchema = z.object({
  customer: z.string(),
  name: z.string(),
  currency: z.string(),
  exposure: z.number().int(),
  limit: z.number().int().nullable(),
});

/** A customer over its limit now: `since` when the crossing was raised (null: not raised yet). */
export const OverLimitViewSchema = StandingSchema.extend({
  limit: z.number().int(),
  over: z.number().int().describe("exposure − limit, more than 0"),
  since: z.string().nullable(),
  message: z.string(),
});

/** GET /dashboard/credit: the customers' exposures summed, and who is over the limit now. */
export const CreditOverviewSchema = z.object({
  currency: z.string(),
  exposure: z.number().int().describe("the sum of every customer's exposure total"),
  customers: z.number().int(),
  overLimit: z.array(OverLimitViewSchema).describe("largest overrun first"),
});
export type CreditOverviewView = z.infer<typeof CreditOverviewSchema>;

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

/** One component of a customer's exposure, with the documents behind it. */
const ExposureComponentSchema = z.object({
  amount: z.number().int(),
  documents: z.array(
    z
      .object({ kind: z.string(), id: z.string(), date: z.string(), amount: z.number().int() })
      .loose(),
  ),
});

/** GET /api/v1/credit/:customer: a customer's credit, as the dashboard's Credit page shows it. */
export const CreditStatementSchema = z.object({
  customer: z.string(),
  name: z.string(),
  currency: z.string(),
  limit: z.number().int().nullable(),
  unlimited: z.boolean(),
  exposure: z.object({
    total: z.number().int(),
    openInvoices: ExposureComponentSchema,
    unappliedPayments: ExposureComponentSchema,
    shippedNotInvoiced: ExposureComponentSchema,
    counterSales: ExposureComponentSchema,
    openOrders: ExposureComponentSchema.describe(
      "sales orders approved or released, not yet shipped nor invoiced (empty when the site's policy leaves them out)",
    ),
  }),
  available: z.number().int().nullable(),
  overdue: z.object({
    amount: z.number().int(),
    since: z.string().nullable(),
    items: z.array(z.object({}).loose()),
  }),
  status: z.enum(["ok", "warn", "blocked", "on-hold"]),
  policy: z.object({}).loose(),
  snapshot: z.object({ version: z.number().int(), asOf: z.string().nullable() }),
});
export type CreditStatementView = z.infer<typeof CreditStatementSchema>;

/**
 * One credit decision, as `GET /api/v1/credit/decisions` lists them: a
 * counter's (from its synced ledger), the gateway's `POST /credit/check`, or
 * a sales order's at entry or release (from the gateway ledger).
 */
export const CreditDecisionRecordSchema = z.object({
  source: z.enum(["counter", "check", "order"]),
  /** The chain that recorded it ("gateway" for checks and orders) and the entry's seq. */
  chain: z.string(),
  seq: z.number().int(),
  at: z.string(),
  customer: z.string(),
  customerName: z.string().nullable(),
  decision: z.enum(["approve", "block"]),
  reasons: z.array(z.object({ code: z.string(), message: z.string() }).loose()),
  amount: z.number().int(),
  currency: z.string(),
  /** The counter's clerk, or the API caller. */
  by: z.string(),
  offline: z.boolean(),
  /** Orders: the order number. */
  order: z.string().optional(),
});
export type CreditDecisionRecord = z.infer<typeof CreditDecisionRecordSchema>;

/** `GET /api/v1/credit/decisions?outcome=&customer=&since=&limit=`: newest first. */
export const CreditDecisionListSchema = z.object({
  decisions: z.array(CreditDecisionRecordSchema),
});

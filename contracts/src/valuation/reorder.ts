import { z } from "zod";

/**
 * Reorder rules per product (and optionally per zone): a fixed minimum and
 * target with a pack multiple, or a computed point: average daily demand
 * over `windowDays` × `leadTimeDays` + `safetyStock`.
 */
export const ReorderRuleSchema = z.strictObject({
  sku: z.string().min(1).max(64),
  /** Only the units in this zone count; absent: the whole site. */
  zone: z.string().min(1).max(64).optional(),
  /** Reorder at or below this many available units. Absent: computed from demand. */
  min: z.number().int().min(0).optional(),
  /** Order up to this many; absent: min + one pack (or the computed point × 2). */
  target: z.number().int().min(0).optional(),
  pack: z.number().int().min(1).default(1),
  leadTimeDays: z.number().min(0).max(365).default(7),
  safetyStock: z.number().int().min(0).default(0),
  windowDays: z.number().int().min(1).max(365).default(28),
  /** Units above the point stock must climb back to before the next crossing alerts again. */
  hysteresis: z.number().int().min(0).default(1),
});
export type ReorderRule = z.infer<typeof ReorderRuleSchema>;
export type ReorderRuleInput = z.input<typeof ReorderRuleSchema>;

export const ReorderRulesSchema = z.strictObject({ rules: z.array(ReorderRuleSchema).max(10_000) });

export const ReorderRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  zone: z.string().nullable(),
  onSite: z.number().int().describe("RFID count (in the zone, if the rule has one)"),
  reserved: z.number().int().describe("units of approved orders not yet shipped"),
  available: z.number().int().describe("onSite − reserved"),
  point: z.number().int().describe("the reorder point"),
  target: z.number().int(),
  pack: z.number().int(),
  suggested: z
    .number()
    .int()
    .describe("up to the target, rounded up to whole packs; 0 above the point"),
  inputs: z
    .object({
      averageDailyDemand: z.number(),
      windowDays: z.number().int(),
      leadTimeDays: z.number(),
      safetyStock: z.number().int(),
    })
    .nullable()
    .describe("the computed point's inputs; null for a fixed minimum"),
  unitCost: z
    .number()
    .int()
    .describe("the cost of the next unit (FIFO), for the purchase suggestion"),
  toReorder: z.boolean(),
  since: z.string().nullable().describe("when the current crossing was raised"),
});
export type ReorderRowView = z.infer<typeof ReorderRowSchema>;

export const ReorderListSchema = z.object({
  currency: z.string(),
  rows: z.array(ReorderRowSchema),
});
export type ReorderListView = z.infer<typeof ReorderListSchema>;

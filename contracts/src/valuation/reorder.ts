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

/** Where a rule is, and what is wrong with it: a place for the path of a 400. */
export interface ReorderRuleProblem {
  index: number;
  field: "sku" | "zone" | "target";
  message: string;
}

/**
 * What no single rule can see: the same product and zone twice, and a target
 * under the minimum. Shared by the API body and the gateway config, so that
 * both refuse the same sets.
 */
export function reorderRuleProblems(
  rules: readonly Pick<ReorderRule, "sku" | "zone" | "min" | "target">[],
): ReorderRuleProblem[] {
  const problems: ReorderRuleProblem[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const key = `${rule.sku}\u0000${rule.zone ?? ""}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        index,
        field: rule.zone === undefined ? "sku" : "zone",
        message: `${rule.sku}${rule.zone ? ` in zone ${rule.zone}` : " (whole site)"} already has a rule at rules[${first}]: keep one rule per product and zone`,
      });
    } else seen.set(key, index);
    if (rule.min !== undefined && rule.target !== undefined && rule.min > rule.target) {
      problems.push({
        index,
        field: "target",
        message: `target ${rule.target} is below min ${rule.min}: give a target at or above the minimum (or leave it out for min + one pack)`,
      });
    }
  });
  return problems;
}

/** `PUT /api/v1/analytics/reorder/rules`: the whole set, replacing the one before. */
export const ReorderRulesSchema = z
  .strictObject({ rules: z.array(ReorderRuleSchema).max(10_000) })
  .superRefine((body, context) => {
    for (const problem of reorderRuleProblems(body.rules)) {
      context.addIssue({
        code: "custom",
        path: ["rules", problem.index, problem.field],
        message: problem.message,
      });
    }
  });
export type ReorderRulesInput = z.input<typeof ReorderRulesSchema>;

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
  amount: z.number().int().describe("suggested × unitCost, minor units"),
  provisionalCost: z
    .boolean()
    .describe("the unit cost is the catalog's (no supplier invoice yet, or no valuation book)"),
  toReorder: z.boolean(),
  since: z.string().nullable().describe("when the current crossing was raised"),
});
export type ReorderRowView = z.infer<typeof ReorderRowSchema>;

export const ReorderListSchema = z.object({
  asOf: z.string(),
  currency: z.string(),
  rows: z.array(ReorderRowSchema),
});
export type ReorderListView = z.infer<typeof ReorderListSchema>;

/** `GET /api/v1/analytics/reorder/rules`: the rules in force and where they come from. */
export const ReorderRulesViewSchema = z.object({
  rules: z.array(ReorderRuleSchema),
  source: z
    .enum(["config", "api"])
    .describe("config: the gateway config's `analytics.reorder.rules`, until a PUT sets them"),
  setAt: z.string().nullable().describe("when a PUT last set them"),
});
export type ReorderRulesView = z.infer<typeof ReorderRulesViewSchema>;

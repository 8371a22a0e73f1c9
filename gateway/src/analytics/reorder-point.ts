import type { ReorderRowView, ReorderRule } from "@comptoir/contracts";

export interface ReorderPoint {
  point: number;
  target: number;
  inputs: ReorderRowView["inputs"];
}

/** Float noise (3 / 7 × 7 = 3.0000000000000004) must not add a unit to the point. */
const EPSILON = 1e-9;

/**
 * A rule's reorder point and target. Fixed: the rule's `min`, target
 * `target` or min + one pack. Computed (no `min`): average daily demand
 * over the window × lead time + safety stock, rounded up to a whole unit;
 * target `target` or 2 × point, at least point + one pack. A computed
 * point can climb past a `target` given for quieter days: the target is
 * then the point, so that the suggestion still reaches it.
 */
export function reorderPoint(rule: ReorderRule, demandUnits: number): ReorderPoint {
  if (rule.min !== undefined) {
    return { point: rule.min, target: rule.target ?? rule.min + rule.pack, inputs: null };
  }
  const averageDailyDemand = demandUnits / rule.windowDays;
  const point =
    rule.safetyStock +
    Math.max(0, Math.ceil((demandUnits * rule.leadTimeDays) / rule.windowDays - EPSILON));
  const target =
    rule.target !== undefined
      ? Math.max(rule.target, point)
      : Math.max(2 * point, point + rule.pack);
  return {
    point,
    target,
    inputs: {
      averageDailyDemand: Math.round(averageDailyDemand * 10_000) / 10_000,
      windowDays: rule.windowDays,
      leadTimeDays: rule.leadTimeDays,
      safetyStock: rule.safetyStock,
    },
  };
}

/**
 * What to order when available stock is at or below the point: up to the
 * target in whole packs, and at least one pack — a row on the to-reorder
 * list with nothing to order (available = point = target) would ask for a
 * decision and give none. 0 above the point.
 */
export function suggestedQuantity(
  available: number,
  point: number,
  target: number,
  pack: number,
): number {
  if (available > point) return 0;
  return Math.max(pack, Math.ceil((target - available) / pack) * pack);
}

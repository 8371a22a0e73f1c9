import { ReorderRuleSchema } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { reorderPoint, suggestedQuantity } from "./reorder-point.js";

const rule = (input: Record<string, unknown>) =>
  ReorderRuleSchema.parse({ sku: "SKU-1", ...input });

describe("reorder point", () => {
  it("a fixed minimum is the point; the target defaults to min + one pack", () => {
    expect(reorderPoint(rule({ min: 10, pack: 6 }), 999)).toEqual({
      point: 10,
      target: 16,
      inputs: null,
    });
    expect(reorderPoint(rule({ min: 10, target: 40, pack: 6 }), 0).target).toBe(40);
  });

  it("computed: average daily demand × lead time + safety stock, rounded up, with its inputs", () => {
    // 40 units in 28 days → 1.4286/day × 7 days = 10 units, + 3 safety.
    const point = reorderPoint(rule({ windowDays: 28, leadTimeDays: 7, safetyStock: 3 }), 40);
    expect(point).toEqual({
      point: 13,
      target: 26,
      inputs: { averageDailyDemand: 1.4286, windowDays: 28, leadTimeDays: 7, safetyStock: 3 },
    });
    // 41 units: 10.25 → 11.
    expect(reorderPoint(rule({ leadTimeDays: 7, safetyStock: 3 }), 41).point).toBe(14);
    // 3 / 7 × 7 is 3.0000000000000004 in floating point: still 3.
    expect(reorderPoint(rule({ windowDays: 7, leadTimeDays: 7 }), 3).point).toBe(3);
  });

  it("computed target: 2 × point, at least point + one pack; a given target below the point rises to it", () => {
    expect(reorderPoint(rule({ leadTimeDays: 7, pack: 12 }), 28).target).toBe(19); // point 7
    expect(reorderPoint(rule({ leadTimeDays: 7, target: 5 }), 56)).toMatchObject({
      point: 14,
      target: 14,
    });
    // No demand, no safety stock: the point is 0, the target one pack.
    expect(reorderPoint(rule({ pack: 4 }), 0)).toMatchObject({ point: 0, target: 4 });
  });

  it("suggests up to the target in whole packs, at least one pack, nothing above the point", () => {
    expect(suggestedQuantity(3, 10, 25, 6)).toBe(24); // 22 → 4 packs
    expect(suggestedQuantity(10, 10, 25, 6)).toBe(18); // 15 → 3 packs
    expect(suggestedQuantity(11, 10, 25, 6)).toBe(0);
    expect(suggestedQuantity(-4, 0, 4, 1)).toBe(8); // more reserved than on site
    expect(suggestedQuantity(5, 5, 5, 3)).toBe(3);
  });
});

import { describe, expect, it } from "vitest";
import { supplierPrice } from "./accounting-flow.js";
import { DEMO_PRODUCTS } from "./demo-data.js";

describe("the simulated supplier's prices", () => {
  it("stay within a few percent of the catalog cost, the same for the same order, and now and then over the counter price", () => {
    const pos = Array.from({ length: 40 }, (_, i) => `PO-${String(i + 1).padStart(5, "0")}`);
    for (const product of DEMO_PRODUCTS) {
      for (const po of pos) {
        const price = supplierPrice(product, po);
        expect(price).toBe(supplierPrice(product, po));
        if (product.sku === "LVL-60" && price === 3590) continue;
        // Up to 5 %, rounded to the cent.
        expect(Math.abs(price - product.unitCost)).toBeLessThanOrEqual(product.unitCost * 0.05 + 1);
      }
    }
    const level = DEMO_PRODUCTS.find((p) => p.sku === "LVL-60");
    const prices = new Set(
      pos.map((po) => supplierPrice(level as (typeof DEMO_PRODUCTS)[number], po)),
    );
    expect(prices.has(3590)).toBe(true);
    expect([...prices].some((price) => price !== 3590)).toBe(true);
  });
});

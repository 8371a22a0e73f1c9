import { describe, expect, it } from "vitest";
import { shareByLargestRemainder } from "./reports.js";

describe("a product's value shared among its zones by quantity", () => {
  it("gives the minor units left over to the largest remainders, so the shares add up", () => {
    // 10.00 over 3 + 3 + 1 units: 4.2857, 4.2857, 1.4286 → 4.29, 4.28, 1.43.
    expect(shareByLargestRemainder(1000, [3, 3, 1])).toEqual([429, 428, 143]);
    expect(shareByLargestRemainder(1, [1, 1])).toEqual([1, 0]);
    expect(shareByLargestRemainder(0, [2, 5])).toEqual([0, 0]);
    expect(shareByLargestRemainder(700, [])).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { DOCK_REFUSED_ORDER_STATES, dockRefuses, ORDER_STATES } from "./order.js";

describe("dockRefuses", () => {
  it("refuses exactly the dock's refused states, and not a node's 'unknown'", () => {
    expect(ORDER_STATES.filter((state) => dockRefuses(state))).toEqual([
      ...DOCK_REFUSED_ORDER_STATES,
    ]);
    expect(dockRefuses("held")).toBe(true);
    expect(dockRefuses("approved")).toBe(false);
    expect(dockRefuses("unknown")).toBe(false);
  });
});

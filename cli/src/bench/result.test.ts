import { describe, expect, it } from "vitest";
import { formatReport, result } from "./result.js";

describe("bench result goals", () => {
  it("keeps the plain goals as they were", () => {
    expect(result("a", 120, "x/s", 100, { atLeast: 100 })).toMatchObject({
      goal: ">= 100",
      met: true,
      ratio: 1.2,
    });
    expect(result("b", 30, "ms", 10, { atMost: 25 })).toMatchObject({ goal: "<= 25", met: false });
    expect(result("c", 1, "ms", 1)).toMatchObject({ goal: null, met: null });
  });

  it("meets a ratio goal only when both the figure and its ratio to the baseline meet theirs", () => {
    const goal = { atLeast: 50_000, ratioAtLeast: 0.9 };
    const both = result("ingest", 55_000, "entries/s", 60_000, goal);
    expect(both.goal).toBe(">= 50000 and >= 0.9 x baseline");
    expect(both.met).toBe(true);
    expect(result("ingest", 55_000, "entries/s", 70_000, goal).met).toBe(false);
    expect(result("ingest", 45_000, "entries/s", 46_000, goal).met).toBe(false);
    // The ratio is judged unrounded: 0.8999 is not 0.9 even if it prints as 0.900.
    expect(result("ingest", 89_990, "entries/s", 100_000, goal).met).toBe(false);
    expect(result("ingest", 1, "entries/s", 0, { ratioAtLeast: 0.9 }).met).toBe(false);
  });

  it("shows the combined goal in the table", () => {
    const text = formatReport({
      bench: "gateway",
      results: [
        result("ingest", 55_000, "entries/s", 60_000, { atLeast: 50_000, ratioAtLeast: 0.9 }),
      ],
    });
    expect(text).toContain(">= 50000 and >= 0.9 x baseline");
    expect(text).toContain("met");
  });
});

import { describe, expect, it } from "vitest";
import { defaultCommitWindowMs } from "./runtime.js";

describe("the ledger's commit window when the config gives none", () => {
  it("is a second on a shelf (its SD card under 1 GB a day at 10 movements/s) and 10 ms on the other roles", () => {
    expect(defaultCommitWindowMs("shelf")).toBe(1000);
    for (const role of ["portal", "counter", "station"])
      expect(defaultCommitWindowMs(role)).toBe(10);
  });
});

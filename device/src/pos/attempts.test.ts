import { describe, expect, it } from "vitest";
import { PinAttempts } from "./attempts.js";

describe("wrong PIN attempts", () => {
  it("blocks a supervisor after 5 failures within a minute, until the oldest leaves the window", () => {
    const attempts = new PinAttempts(5, 60_000);
    for (let i = 0; i < 4; i++) attempts.fail("sup-1", 1_000 * i);
    expect(attempts.blockedFor("sup-1", 4_000)).toBe(0);
    attempts.fail("sup-1", 4_000);
    expect(attempts.blockedFor("sup-1", 4_000)).toBe(56_000);
    expect(attempts.blockedFor("sup-2", 4_000)).toBe(0);
    expect(attempts.blockedFor("sup-1", 59_999)).toBe(1);
    expect(attempts.blockedFor("sup-1", 60_000)).toBe(0);
    attempts.succeed("sup-1");
    expect(attempts.blockedFor("sup-1", 5_000)).toBe(0);
  });

  it("keeps a bounded number of ids", () => {
    const attempts = new PinAttempts(1, 60_000, 3);
    for (const id of ["a", "b", "c", "d"]) attempts.fail(id, 0);
    expect(attempts.blockedFor("a", 1)).toBe(0);
    expect(attempts.blockedFor("d", 1)).toBe(59_999);
  });
});

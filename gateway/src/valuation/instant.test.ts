import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoMs } from "./instant.js";

describe("isoMs", () => {
  it("reads toISOString's form as Date.parse does, leap days and year ends included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000_000_000_000 }), (ms) => {
        expect(isoMs(new Date(ms).toISOString())).toBe(ms);
      }),
    );
    expect(isoMs("2024-02-29T23:59:59.999Z")).toBe(Date.parse("2024-02-29T23:59:59.999Z"));
  });

  it("takes the other ISO UTC forms and names a bad instant", () => {
    expect(isoMs("2026-03-01T08:00:00Z")).toBe(Date.parse("2026-03-01T08:00:00Z"));
    expect(isoMs("2026-03-01T08:00:00.123456Z")).toBe(Date.parse("2026-03-01T08:00:00.123Z"));
    expect(() => isoMs("2026-03-01T08:0x:00.000Z")).toThrow(
      '"2026-03-01T08:0x:00.000Z" is not an ISO UTC instant',
    );
  });
});

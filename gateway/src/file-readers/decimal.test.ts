import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amountToMinor, divideRounded, unitPriceToMinor } from "./decimal.js";

describe("decimal amounts to minor units", () => {
  it("reads amounts exactly, where a float would not", () => {
    expect(amountToMinor("0.29", "EUR")).toEqual({ ok: true, minor: 29 });
    expect(amountToMinor("1234567.89", "EUR")).toEqual({ ok: true, minor: 123456789 });
    expect(amountToMinor("-0.07", "EUR")).toEqual({ ok: true, minor: -7 });
    expect(amountToMinor("12.5", "EUR")).toEqual({ ok: true, minor: 1250 });
    expect(amountToMinor("1500", "JPY")).toEqual({ ok: true, minor: 1500 });
    expect(amountToMinor("1.234", "KWD")).toEqual({ ok: true, minor: 1234 });
  });

  it("refuses more decimals than the currency has for amounts, and anything not a decimal", () => {
    expect(amountToMinor("1.005", "EUR")).toEqual({
      ok: false,
      message: '"1.005" has more than 2 decimals for EUR',
    });
    expect(amountToMinor("1,50", "EUR").ok).toBe(false);
    expect(amountToMinor("1e3", "EUR").ok).toBe(false);
    expect(amountToMinor("", "EUR").ok).toBe(false);
  });

  it("rounds unit prices half away from zero, once, after dividing by the base quantity", () => {
    expect(unitPriceToMinor("9.9950", undefined, "EUR")).toEqual({ ok: true, minor: 1000 });
    expect(unitPriceToMinor("9.9949", undefined, "EUR")).toEqual({ ok: true, minor: 999 });
    expect(unitPriceToMinor("25.00", "10", "EUR")).toEqual({ ok: true, minor: 250 });
    // 1.005 per 0.5 kg is 2.01 per kg: no double rounding through 1.01.
    expect(unitPriceToMinor("1.005", "0.5", "EUR")).toEqual({ ok: true, minor: 201 });
    expect(unitPriceToMinor("1.00", "0", "EUR").ok).toBe(false);
  });

  it("any decimal written with two places reads back to the same integer (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_000_000_000_000, max: 9_000_000_000_000 }), (cents) => {
        const sign = cents < 0 ? "-" : "";
        const abs = Math.abs(cents).toString().padStart(3, "0");
        const text = `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
        expect(amountToMinor(text, "EUR")).toEqual({ ok: true, minor: cents });
      }),
    );
  });

  it("rounding matches exact rational rounding (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (n, d) => {
          const q = divideRounded(n, d);
          // |n/d − q| ≤ 1/2, and exactly 1/2 only rounds away from zero.
          const twice = 2n * n - 2n * q * d;
          const abs = twice < 0n ? -twice : twice;
          expect(abs <= d).toBe(true);
          if (abs === d) expect(q < 0n ? n < 0n : n >= 0n).toBe(true);
        },
      ),
    );
  });
});

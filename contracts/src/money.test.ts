import { describe, expect, it } from "vitest";
import {
  addMoney,
  formatDecimalMoney,
  MoneySchema,
  money,
  parseDecimalMoney,
  subtractMoney,
  sumMoney,
} from "./money.js";

describe("money", () => {
  it("reads decimal amounts into minor units, by the currency's own decimals", () => {
    expect(parseDecimalMoney("1234.5", "EUR")).toEqual({ amount: 123450, currency: "EUR" });
    expect(parseDecimalMoney("-0.07", "EUR")).toEqual({ amount: -7, currency: "EUR" });
    expect(parseDecimalMoney("1500", "JPY")).toEqual({ amount: 1500, currency: "JPY" });
    expect(parseDecimalMoney("1.234", "KWD")).toEqual({ amount: 1234, currency: "KWD" });
  });

  it("refuses amounts it would have to round or cannot read", () => {
    expect(() => parseDecimalMoney("0.001", "EUR")).toThrow(/more than 2 decimals/);
    expect(() => parseDecimalMoney("12,50", "EUR")).toThrow(/not a decimal amount/);
    expect(() => parseDecimalMoney("1e3", "EUR")).toThrow(/not a decimal amount/);
  });

  it("adds 0.10 and 0.20 to exactly 0.30", () => {
    expect(formatDecimalMoney(addMoney(money(10, "EUR"), money(20, "EUR")))).toBe("0.30");
    expect(formatDecimalMoney(sumMoney([money(-1999, "EUR"), money(5, "EUR")], "EUR"))).toBe(
      "-19.94",
    );
    expect(formatDecimalMoney(money(1500, "JPY"))).toBe("1500");
  });

  it("never mixes currencies", () => {
    expect(() => subtractMoney(money(1, "EUR"), money(1, "USD"))).toThrow(/EUR with USD/);
  });

  it("rejects floats and bad currency codes at the edge", () => {
    expect(MoneySchema.safeParse({ amount: 12.5, currency: "EUR" }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: 12, currency: "eur" }).success).toBe(false);
  });
});

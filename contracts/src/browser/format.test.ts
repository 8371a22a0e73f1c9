import { describe, expect, it } from "vitest";
import { formatCount, formatDate, formatDateTime, formatMoney, formatTime } from "./format.js";

/** Intl's own output, so the narrow no-break spaces of fr-FR are compared, not guessed. */
const intlMoney = (locale: string, currency: string, value: number) =>
  new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
/** Any of Unicode's spaces as a plain one: what a reader sees. */
const spaced = (text: string | null) => text?.replace(/[\u00a0\u202f]/g, " ");

const evening = "2026-12-06T19:38:49.000Z";

describe("formatMoney", () => {
  it("writes fr-FR money as a French reader expects: 1 487,00 €", () => {
    expect(formatMoney(148700, "EUR", "fr-FR")).toBe(intlMoney("fr-FR", "EUR", 1487));
    expect(spaced(formatMoney(148700, "EUR", "fr-FR"))).toBe("1 487,00 €");
    expect(spaced(formatMoney(-13890, "EUR", "fr-FR"))).toBe("-138,90 €");
  });

  it("writes en-US money the American way: €1,487.00", () => {
    expect(formatMoney(148700, "EUR", "en-US")).toBe("€1,487.00");
    expect(formatMoney(148700, "USD", "en-US")).toBe("$1,487.00");
  });

  it("uses the currency's own decimals: none for JPY, three for KWD", () => {
    expect(formatMoney(1487, "JPY", "en-US")).toBe("¥1,487");
    expect(spaced(formatMoney(1487, "KWD", "fr-FR"))).toBe("1,487 KWD");
  });
});

describe("formatDateTime and formatTime", () => {
  it("writes fr-FR dates day first, on a 24-hour clock, to the minute", () => {
    expect(formatDateTime(evening, "fr-FR", "UTC")).toBe("06/12/2026 19:38");
    expect(formatTime(evening, "fr-FR", "UTC")).toBe("19:38");
    expect(formatTime(evening, "fr-FR", "UTC", true)).toBe("19:38:49");
  });

  it("writes en-US dates month first, on a 12-hour clock", () => {
    expect(formatDateTime(evening, "en-US", "UTC")).toBe("12/06/2026, 07:38 PM");
  });

  it("shows the site's time zone when one is set", () => {
    expect(formatDateTime(evening, "fr-FR", "Europe/Paris")).toBe("06/12/2026 20:38");
  });

  it("writes a due date as that very day, whatever the zone", () => {
    expect(formatDate("2026-01-26", "fr-FR", "America/Los_Angeles")).toBe("26/01/2026");
    expect(formatDate("2026-01-26", "en-US")).toBe("01/26/2026");
  });

  it("gives null for what is not a date", () => {
    expect(formatDateTime("not a date", "fr-FR")).toBeNull();
  });
});

describe("formatCount", () => {
  it("groups digits the locale's way", () => {
    expect(spaced(formatCount(12345, "fr-FR"))).toBe("12 345");
    expect(formatCount(12345, "en-US")).toBe("12,345");
  });
});

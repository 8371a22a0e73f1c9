/**
 * Money, counts and times written the site's way, through Intl: "1 487,00 €"
 * and "06/12/2026 19:38" in fr-FR, "€1,487.00" and "06/12/2026, 19:38" in
 * en-GB. Every side (dashboard, node pages, CLI, credit verdicts) formats
 * through these, each with the site's locale; only the words stay English.
 * Browser code: it may import only other browser files. Files and CSV keep
 * machine formats (ISO dates, dot decimals) and never come here.
 */

/** The site's locale (BCP 47), currency (ISO 4217) and, when set, time zone (IANA). */
export interface SiteFormat {
  locale: string;
  currency: string;
  /** Absent: times are shown in the zone of the machine showing them. */
  timeZone?: string | undefined;
}

/** English, day/month/year and a 24-hour clock: the default of the gateway and node configs. */
export const DEFAULT_LOCALE = "en-GB";

// Making an Intl formatter costs far more than using one (a credit decision must take
// microseconds): one per locale, currency or zone, kept.
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = formats.get(key);
  if (!format) {
    format = make();
    formats.set(key, format);
  }
  return format as T;
}

/** A currency's formatter and its decimals: asking `resolvedOptions()` builds a new object each time. */
const moneyFormats = new Map<string, { format: Intl.NumberFormat; scale: number }>();

/** Integer minor units in `currency`, with the currency's own decimals: 148700 EUR → "1 487,00 €" in fr-FR. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const code = /^[A-Z]{3}$/.test(currency) ? currency : "XXX";
  const key = `${locale}|${code}`;
  let money = moneyFormats.get(key);
  if (!money) {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency: code });
    money = { format, scale: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    moneyFormats.set(key, money);
  }
  return money.format.format(minor / money.scale);
}

/** A count or quantity: "12 345" in fr-FR, "12,345" in en-GB. */
export function formatCount(value: number, locale: string): string {
  return cached(`count|${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
};

/** A date and time to the minute: "06/12/2026 19:38" in fr-FR; null for what is not a date. */
export function formatDateTime(
  when: string | number | Date,
  locale: string,
  timeZone?: string,
): string | null {
  return dateWith("datetime", DATE_TIME, when, locale, timeZone);
}

/**
 * A calendar date: "26/01/2026" in fr-FR. A bare ISO date ("2026-01-26", a
 * due date) is that day everywhere, whatever the zone; an instant is shown
 * in `timeZone` (or the screen's).
 */
export function formatDate(
  when: string | number | Date,
  locale: string,
  timeZone?: string,
): string | null {
  const bare = typeof when === "string" && /^\d{4}-\d{2}-\d{2}$/.test(when);
  const options: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
  return dateWith("date", options, when, locale, bare ? "UTC" : timeZone);
}

/** The time of day, to the minute ("19:38") or, for lines seconds apart, the second ("19:38:49"). */
export function formatTime(
  when: string | number | Date,
  locale: string,
  timeZone?: string,
  withSeconds = false,
): string | null {
  const options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
  if (withSeconds) options.second = "2-digit";
  return dateWith(withSeconds ? "time-s" : "time", options, when, locale, timeZone);
}

function dateWith(
  kind: string,
  options: Intl.DateTimeFormatOptions,
  when: string | number | Date,
  locale: string,
  timeZone: string | undefined,
): string | null {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return null;
  const format = cached(
    `${kind}|${locale}|${timeZone ?? ""}`,
    () => new Intl.DateTimeFormat(locale, timeZone ? { ...options, timeZone } : options),
  );
  return format.format(date);
}

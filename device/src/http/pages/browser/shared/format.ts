import {
  DEFAULT_LOCALE,
  formatDate,
  formatDateTime,
  formatMoney,
  formatTime,
  type SiteFormat,
} from "@comptoir/contracts/browser";

/**
 * How the node's pages write money, times and products: the one helper of
 * the node side, through Intl with the site's locale (a place: `place` of
 * contracts/browser). The locale comes from `GET /node` (`useSiteFormat`,
 * called by showNode): the gateway's once the node heard it, its own before.
 */

const site: SiteFormat = { locale: DEFAULT_LOCALE, currency: "EUR" };

/** Adopts the site's formats for everything written from now on. */
export function useSiteFormat(format: SiteFormat): void {
  site.locale = format.locale;
  site.currency = format.currency;
  site.timeZone = format.timeZone;
}

/** Minor units as money in the site's locale: "5 000,00 €" in fr-FR; null is an unlimited limit. */
export function money(minor: number | null | undefined, currency?: string | null): string {
  if (minor === null || minor === undefined) return "unlimited";
  return formatMoney(minor, currency || site.currency, site.locale);
}

/** A read's or movement's time of day, to the second (lines arrive seconds apart). */
export function time(iso: string): string {
  return formatTime(iso, site.locale, site.timeZone, true) ?? String(iso);
}

/** An ISO time as hours and minutes in the site's locale ("19:38", "7:38 PM"). */
export function hhmm(iso: string): string {
  return formatTime(iso, site.locale, site.timeZone) ?? String(iso);
}

/** A date and time to the minute: "06/12/2026 19:38" in fr-FR. */
export function dateTime(iso: string): string {
  return formatDateTime(iso, site.locale, site.timeZone) ?? String(iso);
}

/** A calendar date (a due date): "26/01/2026" in fr-FR. */
export function date(iso: string): string {
  return formatDate(iso, site.locale, site.timeZone) ?? String(iso);
}

export function product(
  sku: string | null | undefined,
  identity: { gtin?: string | undefined } | undefined,
): string {
  if (sku) return sku;
  if (identity?.gtin) return `GTIN ${identity.gtin} (not commissioned)`;
  return "unknown (not commissioned)";
}

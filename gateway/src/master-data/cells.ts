import { amountToMinor } from "../file-readers/decimal.js";

/**
 * Reading the cells of master-data CSV files as spreadsheets write them:
 * decimal commas and spaces between thousands ("1 234,50"), GTINs whose
 * leading zeros a spreadsheet dropped.
 */

/** An ISO 4217 code, the row's or else the site's. */
export function currencyCell(
  text: string,
  siteCurrency: string,
): { ok: true; currency: string } | { ok: false; message: string } {
  const currency = text.trim().toUpperCase() || siteCurrency;
  return /^[A-Z]{3}$/.test(currency)
    ? { ok: true, currency }
    : { ok: false, message: `"${text}" is not an ISO 4217 currency code such as EUR` };
}

/** A decimal amount in minor units of `currency`: "12.50", "12,50", "1 234.50". */
export function amountCell(
  text: string,
  currency: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  if (text === "") return { ok: false, message: "empty: give an amount such as 12.50" };
  let plain = text.replace(/[\s\u00a0\u202f]/g, "");
  if (/^-?\d*,\d+$/.test(plain)) plain = plain.replace(",", ".");
  const read = amountToMinor(plain, currency);
  return read.ok ? read : { ok: false, message: `${read.message} (write it like 1234.50)` };
}

/**
 * A GTIN as the catalog keeps it, 14 digits: a GTIN-8, -12 or -13 is
 * padded with leading zeros (GS1's own rule), which also gives back the
 * zeros a spreadsheet drops from a number column. Anything else is left
 * as written, for the schema to refuse with its message.
 */
export function gtinCell(text: string): string {
  const digits = text.trim();
  return /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(digits) ? digits.padStart(14, "0") : digits;
}

/** Several GTINs in one cell, separated by spaces, `|` or commas. */
export function gtinListCell(text: string): string[] {
  return text
    .split(/[\s|,]+/)
    .filter((gtin) => gtin !== "")
    .map(gtinCell);
}

/** A whole number of days, or undefined. */
export function wholeNumberCell(text: string): number | undefined {
  return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

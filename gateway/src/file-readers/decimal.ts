import { minorDigits } from "@comptoir/contracts";

/**
 * Exact decimal reading for invoice files: amounts come as text ("1234.5",
 * "0.0750") and must become integer minor units without ever passing
 * through a float, or 0.1 + 0.2 errors end up on a customer's balance.
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$|^([+-]?)\.(\d+)$/;

/** A decimal as an integer and a power of ten: "12.345" → { units: 12345n, scale: 3 }. */
export interface Decimal {
  units: bigint;
  scale: number;
}

export function readDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const sign = match[1] ?? match[4] ?? "";
  const whole = match[2] ?? "0";
  const fraction = match[3] ?? match[5] ?? "";
  const units = BigInt(whole + fraction);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

/** Divides rounding half away from zero (the commercial rule, and what EN 16931 examples do). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

export type AmountResult = { ok: true; minor: number } | { ok: false; message: string };

/**
 * An amount in minor units of `currency`. `exact`: more decimals than the
 * currency has is an error (totals, line amounts); otherwise the value is
 * rounded half away from zero (unit prices may carry 4 decimals, BT-146).
 */
export function amountToMinor(text: string, currency: string, exact = true): AmountResult {
  const value = readDecimal(text);
  if (!value) return { ok: false, message: `"${text}" is not a decimal amount such as 12.34` };
  const digits = minorDigits(currency);
  let minor: bigint;
  if (value.scale <= digits) {
    minor = value.units * 10n ** BigInt(digits - value.scale);
  } else if (exact) {
    return { ok: false, message: `"${text}" has more than ${digits} decimals for ${currency}` };
  } else {
    minor = divideRounded(value.units, 10n ** BigInt(value.scale - digits));
  }
  const number = Number(minor);
  if (!Number.isSafeInteger(number)) return { ok: false, message: `"${text}" is out of range` };
  return { ok: true, minor: number };
}

/**
 * A unit price in minor units: price ÷ base quantity (BT-146 ÷ BT-149),
 * rounded once at the end so that "9.9950 per 10" is not rounded twice.
 */
export function unitPriceToMinor(
  price: string,
  baseQuantity: string | undefined,
  currency: string,
): AmountResult {
  const value = readDecimal(price);
  if (!value) return { ok: false, message: `"${price}" is not a decimal amount such as 12.34` };
  const base = baseQuantity === undefined ? { units: 1n, scale: 0 } : readDecimal(baseQuantity);
  if (!base || base.units <= 0n) {
    return { ok: false, message: `base quantity "${baseQuantity}" must be a positive number` };
  }
  const digits = BigInt(minorDigits(currency));
  // price × 10^digits ÷ base, both sides brought to integers.
  const numerator = value.units * 10n ** (digits + BigInt(base.scale));
  const denominator = base.units * 10n ** BigInt(value.scale);
  const number = Number(divideRounded(numerator, denominator));
  if (!Number.isSafeInteger(number)) return { ok: false, message: `"${price}" is out of range` };
  return { ok: true, minor: number };
}

/** A quantity (may be fractional: kilograms, metres), refused when not a plain decimal. */
export function readQuantity(text: string): number | undefined {
  const value = readDecimal(text);
  if (!value) return undefined;
  const number = Number(text.trim());
  return Number.isFinite(number) ? number : undefined;
}

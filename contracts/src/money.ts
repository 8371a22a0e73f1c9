import { z } from "zod";

/**
 * Money is an integer count of the currency's minor units (cents for EUR)
 * with its ISO 4217 code. Never a float: 0.1 + 0.2 is not 0.3.
 */
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR");

export const MoneySchema = z.strictObject({
  amount: z
    .number()
    .int("must be an integer of minor units (cents), not a decimal")
    .refine(Number.isSafeInteger, "is too large"),
  currency: CurrencySchema,
});
export type Money = z.infer<typeof MoneySchema>;

export function money(amount: number, currency: string): Money {
  return MoneySchema.parse({ amount, currency });
}

/** Digits after the decimal point for a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return checked(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return checked(a.amount - b.amount, a.currency);
}

export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce((total, item) => addMoney(total, item), money(0, currency));
}

/**
 * Reads a decimal amount written by people or accounting files ("1234.5",
 * "-0.07") into minor units, refusing more decimals than the currency has.
 */
export function parseDecimalMoney(text: string, currency: string): Money {
  const digits = minorDigits(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal amount such as 12.34`);
  const [, sign, whole = "", fraction = ""] = match;
  if (fraction.length > digits) {
    throw new RangeError(`"${text}" has more than ${digits} decimals for ${currency}`);
  }
  const minor = BigInt(whole + fraction.padEnd(digits, "0"));
  const amount = Number(sign === "-" ? -minor : minor);
  return checked(amount, currency);
}

/** The amount as a plain decimal string ("-12.30"), for files and logs. */
export function formatDecimalMoney(value: Money): string {
  const digits = minorDigits(value.currency);
  const sign = value.amount < 0 ? "-" : "";
  const padded = Math.abs(value.amount)
    .toString()
    .padStart(digits + 1, "0");
  if (digits === 0) return sign + padded;
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * The sum of amounts in minor units, or undefined when it (or a partial
 * sum on the way) leaves the range a JavaScript number holds exactly
 * (±2^53 − 1): past it, 2^53 + 1 reads as 2^53 and totals silently stop
 * adding up. Callers refuse the input with a message naming the amounts.
 */
export function safeSum(amounts: Iterable<number>): number | undefined {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return total;
}

/** For messages: the largest amount of minor units kept exactly. */
export const MAX_MINOR_UNITS = Number.MAX_SAFE_INTEGER;

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`cannot combine ${a.currency} with ${b.currency}`);
  }
}

function checked(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${currency} amount out of range`);
  return { amount, currency };
}

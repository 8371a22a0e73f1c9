/**
 * Epoch milliseconds of an ISO UTC instant. Nodes write `toISOString()`'s
 * form (24 characters); reading its digits directly is about three times
 * faster than Date.parse, which matters at a million movements. Any other
 * form (no fraction, more digits) goes through Date.parse.
 */
export function isoMs(at: string): number {
  if (at.length === 24 && at.charCodeAt(23) === 90 && at.charCodeAt(19) === 46) {
    const ms =
      daysFromCivil(two(at, 0) * 100 + two(at, 2), two(at, 5), two(at, 8)) * 86_400_000 +
      two(at, 11) * 3_600_000 +
      two(at, 14) * 60_000 +
      two(at, 17) * 1000 +
      (at.charCodeAt(20) - 48) * 100 +
      two(at, 21);
    if (!Number.isNaN(ms)) return ms;
  }
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`valuation: "${at}" is not an ISO UTC instant`);
  return ms;
}

function two(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  // A character that is no digit makes the whole instant NaN, then Date.parse decides.
  return tens < 0 || tens > 9 || units < 0 || units > 9 ? Number.NaN : tens * 10 + units;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

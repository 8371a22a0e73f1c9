const DAY_MS = 86_400_000;

/** Whole calendar days from `from` to `to` (YYYY-MM-DD dates, UTC): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first and last day of a month "YYYY-MM", and its number of days. */
export function monthBounds(month: string): { first: string; last: string; days: number } {
  const [year, index] = month.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(year, index, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, "0")}`, days };
}

/** The month before "YYYY-MM". */
export function previousMonth(month: string): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, index - 2, 1));
  return date.toISOString().slice(0, 7);
}

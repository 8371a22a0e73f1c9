/** Calendar arithmetic on YYYY-MM-DD dates (UTC), for generated histories. */

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The date itself on a weekday, else the Monday after. */
export function weekdayFrom(date: string): string {
  let day = date;
  while (!isWeekday(day)) day = addDays(day, 1);
  return day;
}

export function isMonthEnd(date: string): boolean {
  return addDays(date, 1).slice(8) === "01";
}

/** `date` at `seconds` past midnight UTC, as the nodes stamp their reads. */
export function at(date: string, seconds: number): string {
  if (seconds >= 86_400) throw new RangeError(`${seconds} s is past the end of ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + seconds * 1000).toISOString();
}

/** Successive read times on `date`, `step` seconds apart from `from` seconds past midnight. */
export function readTimes(date: string, from: number, step: number): () => string {
  let next = from;
  return () => {
    const time = at(date, next);
    next += step;
    return time;
  };
}

export function datesFrom(start: string, end: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(start)))
    throw new RangeError(`start must be a date YYYY-MM-DD, got "${start}"`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || Number.isNaN(Date.parse(end)))
    throw new RangeError(`end must be a date YYYY-MM-DD, got "${end}"`);
  if (end < start) throw new RangeError(`end ${end} is before start ${start}`);
  const dates: string[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) dates.push(day);
  return dates;
}

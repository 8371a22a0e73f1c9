/**
 * The latest date that is "today" somewhere that matters for the site: the
 * gateway host's local calendar day (the site's time zone, from TZ) or the
 * UTC day the gateway's reports default to, whichever is later. A date
 * after it is in the future for everyone at the site.
 */
export function latestToday(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const utc = now.toISOString().slice(0, 10);
  return local > utc ? local : utc;
}

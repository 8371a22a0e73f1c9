/** Minor units as the counter shows them: `12 345.67 EUR`; null is an unlimited limit. */
export function money(minor: number | null | undefined, currency?: string | null): string {
  if (minor === null || minor === undefined) return "unlimited";
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}${whole}.${cents}${currency ? ` ${currency}` : ""}`;
}

/** An ISO time as the counter's local hours and minutes. */
export function hhmm(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

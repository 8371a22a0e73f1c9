/**
 * Days sales outstanding, both ways the rules define (sales VAT-inclusive,
 * receivables at the period end). Results are rounded to 2 decimals: a
 * ratio of days, not money.
 */

/** Accounting DSO: receivables ÷ sales of the period × days of the period. */
export function accountingDso(receivables: number, sales: number, days: number): number | null {
  if (sales <= 0) return null;
  return round2((receivables / sales) * days);
}

/**
 * Countback DSO: walk back month by month from the period end, taking each
 * month's sales out of the receivables while they last; whole months count
 * their days, the last one its prorated share. `months` is newest first.
 * When the receivables outlast every month given, the result is the days
 * walked and `exhausted` is false.
 */
export function countbackDso(
  receivables: number,
  months: readonly { month: string; days: number; sales: number }[],
): { days: number; exhausted: boolean; walk: { month: string; days: number; absorbed: number }[] } {
  let left = receivables;
  let days = 0;
  const walk: { month: string; days: number; absorbed: number }[] = [];
  for (const month of months) {
    if (left <= 0) break;
    if (month.sales <= 0) {
      days += month.days;
      walk.push({ month: month.month, days: month.days, absorbed: 0 });
      continue;
    }
    if (left >= month.sales) {
      left -= month.sales;
      days += month.days;
      walk.push({ month: month.month, days: month.days, absorbed: month.sales });
    } else {
      const share = (left / month.sales) * month.days;
      days += share;
      walk.push({ month: month.month, days: round2(share), absorbed: left });
      left = 0;
    }
  }
  return { days: round2(days), exhausted: left <= 0, walk };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

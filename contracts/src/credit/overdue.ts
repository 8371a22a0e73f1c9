import type { CreditPolicy, CreditSnapshot } from "../mqtt/messages.js";
import { CREDIT_REASON_ITEMS_MAX, type CreditReason, type CreditReasonItem } from "./sale.js";

/**
 * The overdue rule (business-rules.md, decision rule 2): block when the sum
 * of the remaining balances of items MORE than `overdueDays` days past due
 * exceeds `overdueFloor`. Items that late or less do not count, however
 * large. Days are counted here, from each item's due date to `now`, so a
 * counter ages its cached items by itself, offline too.
 */

const DAY_MS = 86_400_000;

/** A reason's message may not be longer (CreditReasonSchema). */
const MESSAGE_MAX = 300;

export type OverdueStanding = Pick<CreditSnapshot, "overdue" | "overdueSince" | "overdueItems">;

/**
 * Whole days from a due date (start of that day, UTC) to now. The date is
 * read digit by digit and turned into a day number by arithmetic: Date.parse
 * takes about twenty times longer, and a decision ages every listed item.
 */
export function daysSince(date: string, now: Date): number {
  const year = digitsOf(date, 0, 4);
  const month = digitsOf(date, 5, 7);
  const day = digitsOf(date, 8, 10);
  const shaped = date.length === 10 && date.charCodeAt(4) === DASH && date.charCodeAt(7) === DASH;
  if (!shaped || !(month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 0)) {
    throw new RangeError(`"${date}" is not a date such as 2026-01-31`);
  }
  return Math.floor(now.getTime() / DAY_MS) - dayNumber(year, month, day);
}

const DASH = 45;

/** The number written by the digits of `text` from `from` to `to`; NaN if one is not a digit. */
function digitsOf(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The "overdue" blocking reason, or undefined when what is more than N days
 * late is at or under the floor. `show` writes an amount in the snapshot's currency.
 */
export function overdueReason(
  standing: OverdueStanding,
  policy: CreditPolicy,
  now: Date,
  show: (minor: number) => string,
): CreditReason | undefined {
  if (!standing.overdueItems) return approximateReason(standing, policy, now, show);

  // One pass, no sort unless it blocks: every sale decides this.
  const counted: CreditReasonItem[] = [];
  let countedSum = 0;
  let listedSum = 0;
  let newestAge = Number.POSITIVE_INFINITY;
  for (const item of standing.overdueItems) {
    const daysOverdue = daysSince(item.dueDate, now);
    listedSum += item.open;
    if (daysOverdue < newestAge) newestAge = daysOverdue;
    if (daysOverdue > policy.overdueDays) {
      counted.push({ invoice: item.invoice, open: item.open, daysOverdue });
      countedSum += item.open;
    }
  }

  // A snapshot lists at most OVERDUE_ITEMS_MAX items, the oldest. What it
  // leaves out (its total overdue less the listed items) is due no earlier
  // than the newest listed item, so none of it is later than that item.
  // Counted as that late, it counts as soon as the exact rule would count it
  // or sooner: the rule never approves what it would block with every item.
  const unlisted = Math.max(0, standing.overdue - listedSum);
  const unlistedAge =
    newestAge !== Number.POSITIVE_INFINITY
      ? newestAge
      : standing.overdueSince
        ? daysSince(standing.overdueSince, now)
        : 0;
  const unlistedCounted = unlisted > 0 && unlistedAge > policy.overdueDays ? unlisted : 0;

  const total = countedSum + unlistedCounted;
  if (total <= policy.overdueFloor) return undefined;

  // Oldest first, then by invoice compared as plain strings (localeCompare is slow).
  counted.sort(
    (a, b) =>
      b.daysOverdue - a.daysOverdue || (a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0),
  );
  return {
    code: "overdue",
    message: itemisedMessage(counted, unlistedCounted, total, policy, show),
    items: counted.slice(0, CREDIT_REASON_ITEMS_MAX),
  };
}

/**
 * "overdue more than 30 days: F-2026-0012 600.00 (35 days), F-2026-0020
 * 80.00 (31 days); 680.00 > floor 50.00": the oldest first, as many as the
 * message limit allows, then "and N more".
 */
function itemisedMessage(
  counted: readonly CreditReasonItem[],
  unlisted: number,
  total: number,
  policy: CreditPolicy,
  show: (minor: number) => string,
): string {
  // No more than this many can fit in MESSAGE_MAX characters: the rest are not written out.
  const parts = counted
    .slice(0, 40)
    .map(
      (item) =>
        `${item.invoice} ${show(item.open)} (${item.daysOverdue} day${item.daysOverdue === 1 ? "" : "s"})`,
    );
  const message = (shown: number) => {
    const rest = counted.length - shown;
    const named = [
      ...parts.slice(0, shown),
      ...(rest === 0 ? [] : [shown === 0 ? `${rest} items` : `and ${rest} more`]),
      ...(unlisted > 0 ? [`${show(unlisted)} on later invoices not listed`] : []),
    ];
    return `overdue more than ${policy.overdueDays} days: ${named.join(", ")}; ${show(total)} > floor ${show(policy.overdueFloor)}`;
  };
  // The longest run of the oldest items that fits.
  let shown = 0;
  while (shown < parts.length && message(shown + 1).length <= MESSAGE_MAX) shown += 1;
  return message(shown);
}

/**
 * A snapshot from a gateway that does not list the items: only the total
 * overdue and the oldest due date are known. The total is counted when the
 * oldest item is more than N days late, which never approves what the exact
 * rule would block (it may block earlier, when a small old residue sits under
 * newer overdue amounts).
 */
function approximateReason(
  standing: OverdueStanding,
  policy: CreditPolicy,
  now: Date,
  show: (minor: number) => string,
): CreditReason | undefined {
  const days = standing.overdueSince ? daysSince(standing.overdueSince, now) : 0;
  if (standing.overdue <= policy.overdueFloor || days <= policy.overdueDays) return undefined;
  return {
    code: "overdue",
    message: `${show(standing.overdue)} overdue, the oldest since ${standing.overdueSince} (${days} days; the site allows ${show(policy.overdueFloor)} for ${policy.overdueDays} days)`,
  };
}

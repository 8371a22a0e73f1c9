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

/** Whole days from a due date (start of that day, UTC) to now. */
export function daysSince(date: string, now: Date): number {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(start)) throw new RangeError(`"${date}" is not a date such as 2026-01-31`);
  return Math.floor((now.getTime() - start) / DAY_MS);
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

  const listed = standing.overdueItems
    .map((item) => ({ ...item, daysOverdue: daysSince(item.dueDate, now) }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.invoice.localeCompare(b.invoice));
  const counted = listed.filter((item) => item.daysOverdue > policy.overdueDays);

  // A snapshot lists at most OVERDUE_ITEMS_MAX items, the oldest. What it
  // leaves out (its total overdue less the listed items) is due no earlier
  // than the newest listed item, so none of it is later than that item.
  // Counted as that late, it counts as soon as the exact rule would count it
  // or sooner: the rule never approves what it would block with every item.
  const listedSum = listed.reduce((sum, item) => sum + item.open, 0);
  const unlisted = Math.max(0, standing.overdue - listedSum);
  const newest = listed.at(-1);
  const unlistedAge = newest
    ? newest.daysOverdue
    : standing.overdueSince
      ? daysSince(standing.overdueSince, now)
      : 0;
  const unlistedCounted = unlisted > 0 && unlistedAge > policy.overdueDays ? unlisted : 0;

  const total = counted.reduce((sum, item) => sum + item.open, 0) + unlistedCounted;
  if (total <= policy.overdueFloor) return undefined;

  const items: CreditReasonItem[] = counted
    .slice(0, CREDIT_REASON_ITEMS_MAX)
    .map(({ invoice, open, daysOverdue }) => ({ invoice, open, daysOverdue }));
  return {
    code: "overdue",
    message: itemisedMessage(counted, unlistedCounted, total, policy, show),
    items,
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

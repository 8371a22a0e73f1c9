import { z } from "zod";
import { DEFAULT_LOCALE, formatMoney } from "../browser/format.js";
import { minorDigits } from "../money.js";
import type { CreditPolicy, CreditSnapshot } from "../mqtt/messages.js";
import { daysSince, overdueReason } from "./overdue.js";
import type { CreditFigures, CreditReason } from "./sale.js";

export { daysSince };

/**
 * The credit decision at the counter (business-rules.md, "Credit exposure
 * and the decision at the counter"), as one pure function. The gateway runs
 * it on live figures for `POST /credit/check`; a counter node runs the SAME
 * function on its cached snapshot plus its own pending sales, online or not,
 * so both answer alike for the same figures.
 */

/** The largest amount a counter may ask about: 999 999 999.99 in a 2-decimal currency. */
export const CREDIT_AMOUNT_MAX = 99_999_999_999;

/** An on-account amount to decide on: positive integer minor units, not absurd. */
export const CreditAmountSchema = z
  .number({ error: "must be a number of minor units (cents)" })
  .int("must be an integer of minor units (cents), not a decimal")
  .positive("must be positive: a sale on account of nothing or less is not a sale")
  .max(CREDIT_AMOUNT_MAX, `must be at most ${CREDIT_AMOUNT_MAX} minor units`);

/** What the decision needs of a customer's standing: a `CreditSnapshot` fits as it is. */
export type CreditStanding = Pick<
  CreditSnapshot,
  | "currency"
  | "limit"
  | "outstanding"
  | "overdue"
  | "overdueSince"
  | "overdueItems"
  | "version"
  | "asOf"
> & { status?: CreditSnapshot["status"] };

export interface DecideCreditInput {
  /** The customer's standing; null when the node has never received one. */
  snapshot: CreditStanding | null;
  /**
   * On-account sales this node made since the snapshot and that the snapshot
   * does not yet include (not acknowledged by the gateway). 0 at the gateway.
   */
  pendingOwnSales: number;
  amount: number;
  policy: CreditPolicy;
  now: Date;
  /** True when the counter cannot reach the gateway: the offline age and cap apply. */
  offline: boolean;
  /**
   * True when the counter's OS says its clock has not been set by NTP since
   * boot (a Raspberry Pi has no real-time clock): `now` may be hours off, so
   * offline the snapshot's age is unknown and it counts as too old.
   */
  clockUnsynced?: boolean;
  /** Currency for the figures when there is no snapshot; "XXX" (no currency) otherwise. */
  currency?: string;
  /**
   * The site's locale (BCP 47) the messages write amounts in: "1 234,56 €"
   * in fr-FR. The words stay English. `DEFAULT_LOCALE` when absent.
   */
  locale?: string;
}

export interface CreditDecision {
  decision: "approve" | "block";
  /** Blocking reasons when blocked (all of them); otherwise why approved, plus any warning. */
  reasons: CreditReason[];
  figures: CreditFigures;
}

/**
 * Decides an on-account sale of `amount`. Throws RangeError for an amount
 * that is not a positive integer of minor units (validate at the edge with
 * CreditAmountSchema to answer the user properly).
 *
 * Rules, all checked so the clerk sees every reason at once:
 * - limit 0 without the unlimited flag: no credit at all;
 * - exposure + amount > limit blocks (equal to the limit is allowed);
 * - the sum of the items more than `overdueDays` days past due over
 *   `overdueFloor` blocks, the reason naming each (overdue.ts);
 * - a snapshot on hold (dunning's final level) blocks;
 * - offline: no snapshot, a snapshot older than `offlineMaxAgeSeconds`, or
 *   this node's own sales since the snapshot plus the amount over
 *   `offlineCap` block.
 * Approved sales say whether available credit after the sale is under the
 * warn band.
 */
export function decideCredit(input: DecideCreditInput): CreditDecision {
  const { snapshot, policy, now, offline } = input;
  const amount = checkedAmount(input.amount, "amount");
  const pending = checkedAmount(input.pendingOwnSales, "pendingOwnSales", true);
  const currency = snapshot?.currency ?? input.currency ?? "XXX";
  const locale = input.locale ?? DEFAULT_LOCALE;
  // The clerk reads amounts with their currency, written the site's way (formatters are cached).
  const show = (minor: number) => formatMoney(minor, currency, locale);

  if (!snapshot) {
    return {
      decision: "block",
      reasons: [
        {
          code: "no-snapshot",
          message: "no credit data for this customer yet: sell for cash or wait for the gateway",
        },
      ],
      figures: {
        currency,
        limit: 0,
        exposure: pending,
        amount,
        availableAfter: -pending - amount,
        overdue: 0,
        snapshotVersion: 0,
        snapshotAsOf: null,
        offline,
      },
    };
  }

  const exposure = snapshot.outstanding + pending;
  const limit = snapshot.limit;
  const availableBefore = limit === null ? null : limit - exposure;
  const availableAfter = availableBefore === null ? null : availableBefore - amount;
  const figures: CreditFigures = {
    currency,
    limit,
    exposure,
    amount,
    availableAfter,
    overdue: snapshot.overdue,
    snapshotVersion: snapshot.version,
    snapshotAsOf: snapshot.asOf,
    offline,
  };

  const blocks: CreditReason[] = [];
  if (limit === 0) {
    blocks.push({
      code: "no-credit",
      message: `this customer has no credit (limit ${show(0)}): cash only`,
    });
  } else if (limit !== null && availableAfter !== null && availableAfter < 0) {
    blocks.push({
      code: "over-limit",
      message: `exposure ${show(exposure + amount)} > limit ${show(limit)}; available ${show(
        Math.max(0, availableBefore ?? 0),
      )}`,
    });
  }

  const overdue = overdueReason(snapshot, policy, now, show);
  if (overdue) blocks.push(overdue);

  if (snapshot.status === "on-hold") {
    blocks.push({ code: "on-hold", message: "credit is on hold for this customer: cash only" });
  }

  if (offline) {
    const ageSeconds = Math.floor((now.getTime() - Date.parse(snapshot.asOf)) / 1000);
    // The same code as a stale snapshot (the same branch of the policy), so every reader of
    // decisions already knows it; the message says why.
    if (input.clockUnsynced) {
      blocks.push({
        code: "offline-stale",
        message: `offline, and this till's clock is not synchronised yet (no NTP sync since it started): the age of the credit data from ${snapshot.asOf} cannot be known — sell for cash, or wait for the network`,
      });
    } else if (ageSeconds > policy.offlineMaxAgeSeconds) {
      blocks.push({
        code: "offline-stale",
        message: `offline, and the credit data from ${snapshot.asOf} is older than ${formatAge(policy.offlineMaxAgeSeconds)}`,
      });
    }
    if (pending + amount > policy.offlineCap) {
      blocks.push({
        code: "offline-cap",
        message: `offline: ${show(pending + amount)} on account from this counter since the last credit data > offline cap ${show(policy.offlineCap)}; available offline ${show(Math.max(0, policy.offlineCap - pending))}`,
      });
    }
  }

  if (blocks.length > 0) return { decision: "block", reasons: blocks, figures };

  const reasons: CreditReason[] = [];
  if (limit === null || availableAfter === null) {
    reasons.push({ code: "unlimited", message: "unlimited credit" });
  } else {
    reasons.push({
      code: "within-limit",
      message: `exposure ${show(exposure + amount)} ≤ limit ${show(limit)}; ${show(availableAfter)} left`,
    });
    if (availableAfter < policy.warnBand) {
      reasons.push({
        code: "warn-band",
        message: `only ${show(availableAfter)} of credit left after this sale`,
      });
    }
  }
  return { decision: "approve", reasons, figures };
}

/** Decimals per currency: Intl is slow to ask, and a decision must take microseconds. */
const DIGITS = new Map<string, number>();

/**
 * "5 100.00": an amount without its currency, thousands grouped by a space,
 * whatever the locale. Messages a person reads use `formatMoney` with the
 * site's locale instead.
 */
export function formatAmount(minor: number, currency: string): string {
  const code = /^[A-Z]{3}$/.test(currency) ? currency : "XXX";
  let digits = DIGITS.get(code);
  if (digits === undefined) {
    digits = minorDigits(code);
    DIGITS.set(code, digits);
  }
  const padded = Math.abs(minor)
    .toString()
    .padStart(digits + 1, "0");
  const whole = digits === 0 ? padded : padded.slice(0, -digits);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${minor < 0 ? "-" : ""}${grouped}${digits === 0 ? "" : `.${padded.slice(-digits)}`}`;
}

function formatAge(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function checkedAmount(value: number, name: string, zeroAllowed = false): number {
  const ok = zeroAllowed
    ? Number.isSafeInteger(value) && value >= 0
    : Number.isSafeInteger(value) && value > 0 && value <= CREDIT_AMOUNT_MAX;
  if (!ok) {
    throw new RangeError(
      `${name} ${value} must be a ${zeroAllowed ? "non-negative" : "positive"} integer of minor units`,
    );
  }
  return value;
}

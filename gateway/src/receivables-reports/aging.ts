import { daysBetween } from "./dates.js";

export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingBasis = "due" | "invoice";

/**
 * One open amount of a customer as of a date: an invoice (or one of its
 * instalments) still owed, or, negative, a credit note or payment not yet
 * matched. Negatives are aged too, by their own date, so that the total of
 * the buckets is the customer's balance to the cent.
 */
export interface OpenAmount {
  customer: string;
  kind: "invoice" | "instalment" | "credit-note" | "payment";
  /** Invoice number, credit note number or payment id. */
  document: string;
  /** Instalment number (1-based) when the invoice has split terms. */
  part?: number;
  issueDate: string;
  dueDate: string;
  /** Minor units; negative for credit notes and payments. */
  open: number;
}

export type Buckets = Record<AgingBucket, number>;

export interface AgedItem extends OpenAmount {
  bucket: AgingBucket;
  /** Days past due (basis "due") or since the invoice (basis "invoice") as of the date. */
  days: number;
}

export interface AgedBalance {
  asOf: string;
  basis: AgingBasis;
  currency: string;
  customers: { customer: string; buckets: Buckets; total: number }[];
  buckets: Buckets;
  total: number;
  items: AgedItem[];
}

export function emptyBuckets(): Buckets {
  return { current: 0, "1-30": 0, "31-60": 0, "61-90": 0, "91-120": 0, "over-120": 0 };
}

export function bucketOf(days: number): AgingBucket {
  if (days <= 0) return "current";
  if (days <= 30) return "1-30";
  if (days <= 60) return "31-60";
  if (days <= 90) return "61-90";
  if (days <= 120) return "91-120";
  return "over-120";
}

/**
 * The aged balance: each open amount in the bucket of its days past due
 * (default) or since its invoice date. Unapplied payments and credit notes
 * are aged by their own date whatever the basis (they have no due date).
 */
export function agedBalance(
  amounts: readonly OpenAmount[],
  asOf: string,
  basis: AgingBasis,
  currency: string,
): AgedBalance {
  const perCustomer = new Map<string, { buckets: Buckets; total: number }>();
  const buckets = emptyBuckets();
  let total = 0;
  const items: AgedItem[] = [];
  for (const amount of amounts) {
    if (amount.open === 0) continue;
    const credit = amount.kind === "payment" || amount.kind === "credit-note";
    const from = credit || basis === "invoice" ? amount.issueDate : amount.dueDate;
    const days = daysBetween(from, asOf);
    const bucket = bucketOf(days);
    items.push({ ...amount, bucket, days });
    const row = perCustomer.get(amount.customer) ?? { buckets: emptyBuckets(), total: 0 };
    row.buckets[bucket] += amount.open;
    row.total += amount.open;
    perCustomer.set(amount.customer, row);
    buckets[bucket] += amount.open;
    total += amount.open;
  }
  return {
    asOf,
    basis,
    currency,
    customers: [...perCustomer]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([customer, row]) => ({ customer, ...row })),
    buckets,
    total,
    items: items.sort(
      (a, b) =>
        a.customer.localeCompare(b.customer) ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.document.localeCompare(b.document),
    ),
  };
}

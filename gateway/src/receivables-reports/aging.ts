import { daysBetween } from "./dates.js";

export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingBasis = "due" | "invoice";

/**
 * One open amount of a customer as of a date: an invoice (or one of its
 * instalments) still owed, or, negative, a credit note or payment not yet
 * matched. The negatives go to their own "unapplied" column, never netted
 * into an age bucket; the buckets plus that column are the customer's
 * balance to the cent.
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
  /** The age bucket of an amount owed; "unapplied" for a payment or credit note not yet matched. */
  bucket: AgingBucket | "unapplied";
  /** Days past due (basis "due") or since the invoice (basis "invoice"); for unapplied credit, since its own date. */
  days: number;
}

export interface AgedBalance {
  asOf: string;
  basis: AgingBasis;
  currency: string;
  customers: { customer: string; buckets: Buckets; unapplied: number; total: number }[];
  buckets: Buckets;
  /** Unapplied payments and credit notes, ≤ 0: the buckets plus this are the total. */
  unapplied: number;
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
 * (negative) go to their own "unapplied" column, per customer and in the
 * totals, never netted into an age bucket (business-rules.md, "Aged
 * balance"); their items still say how old they are, from their own date.
 */
export function agedBalance(
  amounts: readonly OpenAmount[],
  asOf: string,
  basis: AgingBasis,
  currency: string,
): AgedBalance {
  const perCustomer = new Map<string, { buckets: Buckets; unapplied: number; total: number }>();
  const buckets = emptyBuckets();
  let unapplied = 0;
  let total = 0;
  const items: AgedItem[] = [];
  for (const amount of amounts) {
    if (amount.open === 0) continue;
    const credit = amount.kind === "payment" || amount.kind === "credit-note";
    const from = credit || basis === "invoice" ? amount.issueDate : amount.dueDate;
    const days = daysBetween(from, asOf);
    const row = perCustomer.get(amount.customer) ?? {
      buckets: emptyBuckets(),
      unapplied: 0,
      total: 0,
    };
    if (credit) {
      items.push({ ...amount, bucket: "unapplied", days });
      row.unapplied += amount.open;
      unapplied += amount.open;
    } else {
      const bucket = bucketOf(days);
      items.push({ ...amount, bucket, days });
      row.buckets[bucket] += amount.open;
      buckets[bucket] += amount.open;
    }
    row.total += amount.open;
    perCustomer.set(amount.customer, row);
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
    unapplied,
    total,
    items: items.sort(
      (a, b) =>
        a.customer.localeCompare(b.customer) ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.document.localeCompare(b.document),
    ),
  };
}

import { daysBetween } from "./dates.js";

/** A customer invoice fully settled: its due date and the date of the payment that closed it. */
export interface SettledInvoice {
  customer: string;
  invoice: string;
  dueDate: string;
  paidDate: string;
  amount: number;
}

export interface PayerProfile {
  customer: string;
  /** Paid invoices counted. */
  invoices: number;
  /** Mean of (paid date − due date) over them; negative: pays early. Null with no paid invoice. */
  averageDaysLate: number | null;
  /** The same, weighted by amount: a late large invoice weighs more than a late small one. */
  weightedDaysLate: number | null;
  /** The latest payment (days late) seen. */
  worstDaysLate: number | null;
}

export function payerProfiles(settled: readonly SettledInvoice[]): Map<string, PayerProfile> {
  const groups = new Map<string, SettledInvoice[]>();
  for (const item of settled)
    groups.set(item.customer, [...(groups.get(item.customer) ?? []), item]);
  const profiles = new Map<string, PayerProfile>();
  for (const [customer, items] of groups) {
    const late = items.map((item) => daysBetween(item.dueDate, item.paidDate));
    const weight = items.reduce((sum, item) => sum + item.amount, 0);
    profiles.set(customer, {
      customer,
      invoices: items.length,
      averageDaysLate: round1(late.reduce((sum, days) => sum + days, 0) / items.length),
      weightedDaysLate:
        weight > 0
          ? round1(items.reduce((sum, item, i) => sum + item.amount * (late[i] ?? 0), 0) / weight)
          : null,
      worstDaysLate: Math.max(...late),
    });
  }
  return profiles;
}

export function emptyProfile(customer: string): PayerProfile {
  return {
    customer,
    invoices: 0,
    averageDaysLate: null,
    weightedDaysLate: null,
    worstDaysLate: null,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

import type { CreditSnapshot } from "../../mqtt/messages.js";

/**
 * The credit snapshot of shared example S1 (business-rules.md): limit
 * 5 000.00, open invoices 3 800.00 + shipped not invoiced 400.00 = 4 200.00
 * outstanding, nothing overdue; the site policy of example S4 (4 h maximum
 * age offline, 500.00 offline cap). For tests and benchmarks.
 */
export function s1Snapshot(overrides: Partial<CreditSnapshot> = {}): CreditSnapshot {
  return {
    customer: "acme",
    name: "ACME Joinery",
    currency: "EUR",
    limit: 500_000,
    outstanding: 420_000,
    overdue: 0,
    status: "ok",
    overdueSince: null,
    policy: {
      overdueFloor: 5_000,
      overdueDays: 30,
      offlineMaxAgeSeconds: 4 * 3600,
      offlineCap: 50_000,
      warnBand: 0,
    },
    version: 1,
    asOf: "2026-11-27T09:12:00.000Z",
    ...overrides,
  };
}

import {
  CreditDecisionDataSchema,
  type CreditPolicy,
  type CreditStanding,
  canonicalJson,
  decideCredit,
} from "@comptoir/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionEntryData } from "./decision-entry.js";

const policy: CreditPolicy = {
  overdueFloor: 5000,
  overdueDays: 30,
  offlineMaxAgeSeconds: 4 * 3600,
  offlineCap: 50_000,
  warnBand: 10_000,
};
const now = new Date("2026-03-02T10:00:00.000Z");
const at = now.toISOString();

/** Standings that lead to every kind of reason: limits, overdue items, holds, old data. */
const standing: fc.Arbitrary<CreditStanding | null> = fc.option(
  fc.record({
    currency: fc.constantFrom("EUR", "JPY", "XXX"),
    limit: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
    outstanding: fc.integer({ min: 0, max: 10_000_000 }),
    overdue: fc.integer({ min: 0, max: 1_000_000 }),
    overdueSince: fc.constantFrom(null, "2026-01-02"),
    overdueItems: fc.option(
      fc.array(
        fc.record({
          invoice: fc.constantFrom("INV-1", "INV-2", "F/2026/0042"),
          open: fc.integer({ min: 1, max: 500_000 }),
          dueDate: fc.constantFrom("2025-12-01", "2026-01-15", "2026-02-28"),
        }),
        { maxLength: 5 },
      ),
      { nil: undefined },
    ),
    status: fc.constantFrom<CreditStanding["status"]>(undefined, "ok", "warn", "on-hold"),
    version: fc.integer({ min: 1, max: 1000 }),
    asOf: fc.constantFrom("2026-03-02T09:12:00.000Z", "2026-02-20T08:00:00.000Z"),
  }),
  { nil: null },
);

const decisions = fc.record({
  snapshot: standing,
  pendingOwnSales: fc.integer({ min: 0, max: 100_000 }),
  amount: fc.integer({ min: 1, max: 2_000_000 }),
  offline: fc.boolean(),
  clockUnsynced: fc.boolean(),
  locale: fc.constantFrom("en-GB", "fr-FR"),
});

describe("decisionEntryData", () => {
  it("records exactly what the entry's schema accepts, to the same canonical bytes", () => {
    fc.assert(
      fc.property(decisions, (input) => {
        const decision = decideCredit({ ...input, policy, now });
        const data = decisionEntryData("acme", "clerk-7", decision, at);
        // Strict: every member the schema asks for, no other; values as decided.
        const parsed = CreditDecisionDataSchema.parse(data);
        expect(data).toEqual(parsed);
        expect(data).toEqual({
          customer: "acme",
          clerk: "clerk-7",
          decision: decision.decision,
          reasons: decision.reasons,
          figures: decision.figures,
          at,
        });
        // The ledger line holds the canonical JSON: the same as that of the schema's output.
        expect(canonicalJson(data)).toBe(canonicalJson(parsed));
      }),
      { numRuns: 300 },
    );
  });

  it("builds its members in canonical order, so canonical JSON is plain JSON.stringify", () => {
    const decision = decideCredit({
      snapshot: null,
      pendingOwnSales: 0,
      amount: 100,
      policy,
      now,
      offline: true,
    });
    const data = decisionEntryData("acme", "clerk-7", decision, at);
    expect(JSON.stringify(data)).toBe(canonicalJson(data));
  });
});

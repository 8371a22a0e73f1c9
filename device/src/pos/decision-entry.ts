import type { CreditDecision, CreditDecisionData } from "@comptoir/contracts";

/**
 * The data of a "credit-decision" entry, without a second zod pass: the
 * customer and the clerk were parsed at the edge (the request body, the
 * clerk's session) with the schemas `CreditDecisionDataSchema` uses, and
 * the rest is `decideCredit`'s own answer, whose shape its type fixes
 * (decision-entry.test.ts parses every kind of decision with the schema).
 * Members are set in canonical (sorted) order, so the ledger's canonical
 * JSON of the entry is one native JSON.stringify instead of a sorted copy.
 */
export function decisionEntryData(
  customer: string,
  clerk: string,
  decision: CreditDecision,
  at: string,
): CreditDecisionData {
  const f = decision.figures;
  return {
    at,
    clerk,
    customer,
    decision: decision.decision,
    figures: {
      amount: f.amount,
      availableAfter: f.availableAfter,
      currency: f.currency,
      exposure: f.exposure,
      limit: f.limit,
      offline: f.offline,
      overdue: f.overdue,
      snapshotAsOf: f.snapshotAsOf,
      snapshotVersion: f.snapshotVersion,
    },
    reasons: decision.reasons,
  };
}

import { describe, expect, it } from "vitest";
import type { CreditPolicy } from "../mqtt/messages.js";
import { CreditAmountSchema, type CreditStanding, decideCredit, formatAmount } from "./decide.js";
import { CreditFiguresSchema, CreditReasonSchema } from "./sale.js";

const policy: CreditPolicy = {
  overdueFloor: 5000,
  overdueDays: 30,
  offlineMaxAgeSeconds: 4 * 3600,
  offlineCap: 50000,
  warnBand: 0,
};

/** S1: limit 5 000.00, open invoices 3 800.00 + shipped not invoiced 400.00. */
const s1: CreditStanding = {
  currency: "EUR",
  limit: 500000,
  outstanding: 420000,
  overdue: 0,
  overdueSince: null,
  version: 7,
  asOf: "2026-03-02T09:12:00.000Z",
};
const now = new Date("2026-03-02T10:00:00.000Z");

function decide(amount: number, over: Partial<Parameters<typeof decideCredit>[0]> = {}) {
  const result = decideCredit({
    snapshot: s1,
    pendingOwnSales: 0,
    amount,
    policy,
    now,
    offline: false,
    ...over,
  });
  // Whatever the answer, it fits the ledger entry's schemas.
  CreditFiguresSchema.parse(result.figures);
  for (const reason of result.reasons) CreditReasonSchema.parse(reason);
  return result;
}

describe("decideCredit, shared example S1", () => {
  it("blocks 900.00: 5 100.00 > 5 000.00, available 800.00", () => {
    const result = decide(90000);
    expect(result.decision).toBe("block");
    expect(result.reasons).toEqual([
      { code: "over-limit", message: "exposure 5 100.00 > limit 5 000.00; available 800.00" },
    ]);
    expect(result.figures).toMatchObject({ exposure: 420000, availableAfter: -10000 });
  });

  it("approves 800.00 with 0.00 left (equal to the limit is allowed)", () => {
    const result = decide(80000);
    expect(result.decision).toBe("approve");
    expect(result.figures.availableAfter).toBe(0);
    expect(result.reasons[0]?.code).toBe("within-limit");
    expect(result.reasons[0]?.message).toContain("0.00 left");
  });

  it("blocks 800.01", () => {
    const result = decide(80001);
    expect(result.decision).toBe("block");
    expect(result.figures.availableAfter).toBe(-1);
  });
});

describe("decideCredit, shared example S4 (offline)", () => {
  const snapshot = { ...s1, outstanding: 420000, asOf: "2026-03-02T09:12:00.000Z" };
  const offline = { snapshot, pendingOwnSales: 30000, offline: true };

  it("blocks 600.00: 300.00 already sold here offline + 600.00 > cap 500.00", () => {
    const result = decide(60000, offline);
    expect(result.decision).toBe("block");
    expect(result.reasons.map((reason) => reason.code)).toEqual(["over-limit", "offline-cap"]);
    expect(result.reasons[1]?.message).toContain("900.00");
    expect(result.reasons[1]?.message).toContain("500.00");
    expect(result.figures).toMatchObject({ exposure: 450000, offline: true, snapshotVersion: 7 });
  });

  it("approves 150.00 with the snapshot 48 minutes old", () => {
    const result = decide(15000, offline);
    expect(result.decision).toBe("approve");
    expect(result.figures.availableAfter).toBe(500000 - 450000 - 15000);
  });

  it("blocks anything once the snapshot is older than the maximum age", () => {
    const late = new Date("2026-03-02T13:12:01.000Z");
    const result = decide(100, { ...offline, now: late });
    expect(result.reasons.map((reason) => reason.code)).toEqual(["offline-stale"]);
    // Exactly at the age it still decides.
    expect(decide(100, { ...offline, now: new Date("2026-03-02T13:12:00.000Z") }).decision).toBe(
      "approve",
    );
  });

  it("online, the offline cap and age do not apply", () => {
    const late = new Date("2026-03-09T00:00:00.000Z");
    expect(decide(40000, { ...offline, offline: false, now: late }).decision).toBe("approve");
    expect(decide(40000, offline).reasons.map((reason) => reason.code)).toEqual(["offline-cap"]);
  });

  it("blocks without a snapshot", () => {
    const result = decide(100, { snapshot: null, offline: true, currency: "EUR" });
    expect(result.decision).toBe("block");
    expect(result.reasons[0]?.code).toBe("no-snapshot");
  });
});

describe("decideCredit, overdue rule", () => {
  const overdue = { ...s1, outstanding: 100000, overdue: 5001, overdueSince: "2026-01-31" };

  it("blocks more than the floor overdue for more than N days", () => {
    // 2026-01-31 → 2026-03-02 is 30 days: not yet more than 30.
    expect(decide(100, { snapshot: overdue }).decision).toBe("approve");
    const later = new Date("2026-03-03T00:00:00.000Z");
    const result = decide(100, { snapshot: overdue, now: later });
    expect(result.decision).toBe("block");
    expect(result.reasons[0]?.code).toBe("overdue");
    expect(result.reasons[0]?.message).toContain("50.01 overdue");
  });

  it("lets the floor itself through (rounding residues)", () => {
    const later = new Date("2026-06-01T00:00:00.000Z");
    expect(decide(100, { snapshot: { ...overdue, overdue: 5000 }, now: later }).decision).toBe(
      "approve",
    );
  });
});

describe("decideCredit, limits", () => {
  it("limit 0 means no credit", () => {
    const result = decide(1, { snapshot: { ...s1, limit: 0, outstanding: 0 } });
    expect(result.decision).toBe("block");
    expect(result.reasons[0]?.code).toBe("no-credit");
  });

  it("unlimited approves any amount, with availableAfter null", () => {
    const result = decide(99_999_999_999, { snapshot: { ...s1, limit: null } });
    expect(result.decision).toBe("approve");
    expect(result.reasons[0]?.code).toBe("unlimited");
    expect(result.figures.availableAfter).toBeNull();
  });

  it("warns when approved under the warn band", () => {
    const result = decide(75000, { policy: { ...policy, warnBand: 10000 } });
    expect(result.decision).toBe("approve");
    expect(result.reasons.map((reason) => reason.code)).toEqual(["within-limit", "warn-band"]);
  });

  it("blocks a customer on hold", () => {
    expect(decide(1, { snapshot: { ...s1, status: "on-hold" } }).reasons[0]?.code).toBe("on-hold");
  });

  it("refuses negative, zero, decimal and absurd amounts", () => {
    for (const amount of [-1, 0, 10.5, 1e20, Number.NaN]) {
      expect(() => decide(amount)).toThrow(RangeError);
      expect(CreditAmountSchema.safeParse(amount).success).toBe(false);
    }
    expect(CreditAmountSchema.safeParse(80000).success).toBe(true);
  });

  it("writes amounts the rules' way", () => {
    expect(formatAmount(510000, "EUR")).toBe("5 100.00");
    expect(formatAmount(-1, "EUR")).toBe("-0.01");
    expect(formatAmount(123456789, "EUR")).toBe("1 234 567.89");
  });
});

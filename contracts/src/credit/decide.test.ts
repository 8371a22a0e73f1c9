import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CreditPolicy,
  CreditSnapshotSchema,
  OVERDUE_ITEMS_MAX,
  type OverdueItem,
} from "../mqtt/messages.js";
import {
  CreditAmountSchema,
  type CreditStanding,
  daysSince,
  decideCredit,
  formatAmount,
} from "./decide.js";
import { CreditFiguresSchema, CreditReasonSchema } from "./sale.js";
import { s1Snapshot } from "./testing/shared-examples.js";

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
      { code: "over-limit", message: "exposure €5,100.00 > limit €5,000.00; available €800.00" },
    ]);
    expect(result.figures).toMatchObject({ exposure: 420000, availableAfter: -10000 });
  });

  it("approves 800.00 with 0.00 left (equal to the limit is allowed)", () => {
    const result = decide(80000);
    expect(result.decision).toBe("approve");
    expect(result.figures.availableAfter).toBe(0);
    expect(result.reasons[0]?.code).toBe("within-limit");
    expect(result.reasons[0]?.message).toContain("€0.00 left");
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

describe("decideCredit, overdue rule from an older gateway's snapshot (no items listed)", () => {
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

/** The due date of an item `days` days late at `now`. */
function dueDaysAgo(days: number, at: Date = now): string {
  return new Date(Date.parse(at.toISOString().slice(0, 10)) - days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

function late(invoice: string, open: number, days: number): OverdueItem {
  return { invoice, open, dueDate: dueDaysAgo(days) };
}

/** S1 with these items overdue, listed as a gateway of this version sends them. */
function withItems(items: OverdueItem[], extra: Partial<CreditStanding> = {}): CreditStanding {
  const sorted = [...items].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return {
    ...s1,
    overdue: items.reduce((sum, item) => sum + item.open, 0),
    overdueSince: sorted[0]?.dueDate ?? null,
    overdueItems: sorted,
    ...extra,
  };
}

function overdueOf(
  snapshot: CreditStanding,
  over: Partial<Parameters<typeof decideCredit>[0]> = {},
) {
  return decide(100, { snapshot, ...over }).reasons.find((reason) => reason.code === "overdue");
}

describe("decideCredit, overdue rule: more than N days late, summed, over the floor", () => {
  it("does not count an item exactly N days late, however large; counts it the day after", () => {
    const snapshot = withItems([late("F-2026-0001", 400_000, 30)]);
    expect(decide(100, { snapshot }).decision).toBe("approve");
    const nextDay = new Date(now.getTime() + 86_400_000);
    const reason = overdueOf(snapshot, { now: nextDay });
    expect(reason).toEqual({
      code: "overdue",
      message:
        "overdue more than 30 days: F-2026-0001 €4,000.00 (31 days); €4,000.00 > floor €50.00",
      items: [{ invoice: "F-2026-0001", open: 400_000, daysOverdue: 31 }],
    });
  });

  it("approves a sum equal to the floor and blocks one cent more", () => {
    const atFloor = [late("F-1", 3000, 31), late("F-2", 2000, 90), late("F-3", 99_000, 29)];
    expect(decide(100, { snapshot: withItems(atFloor) }).decision).toBe("approve");
    const over = withItems([...atFloor, late("F-4", 1, 31)]);
    const result = decide(100, { snapshot: over });
    expect(result.decision).toBe("block");
    expect(result.reasons.map((reason) => reason.code)).toEqual(["overdue"]);
    expect(result.reasons[0]?.message).toBe(
      "overdue more than 30 days: F-2 €20.00 (90 days), F-1 €30.00 (31 days), F-4 €0.01 (31 days); €50.01 > floor €50.00",
    );
  });

  it("approves 0.40 that is 35 days late plus 600.00 that is 5 days late (the issue's example)", () => {
    const snapshot = withItems([late("F-2026-0003", 40, 35), late("F-2026-0031", 60_000, 5)]);
    const result = decide(100, { snapshot });
    expect(result.decision).toBe("approve");
    expect(result.figures.overdue).toBe(60_040);
    // Without the items (an older gateway's snapshot) the approximation blocks it.
    const { overdueItems: _items, ...older } = snapshot;
    expect(decide(100, { snapshot: older }).decision).toBe("block");
  });

  it("names each counted item, oldest first, with what remains and how late", () => {
    const snapshot = withItems([
      late("F-2026-0020", 8_000, 31),
      late("F-2026-0012", 60_000, 35),
      late("F-2026-0044", 900_000, 3),
    ]);
    expect(overdueOf(snapshot)).toEqual({
      code: "overdue",
      message:
        "overdue more than 30 days: F-2026-0012 €600.00 (35 days), F-2026-0020 €80.00 (31 days); €680.00 > floor €50.00",
      items: [
        { invoice: "F-2026-0012", open: 60_000, daysOverdue: 35 },
        { invoice: "F-2026-0020", open: 8_000, daysOverdue: 31 },
      ],
    });
  });

  it("ages the cached items by itself: offline, a snapshot turns blocking as days pass", () => {
    const snapshot = withItems([late("F-9", 10_000, 20)], { limit: null });
    const policyLong = { ...policy, offlineMaxAgeSeconds: 30 * 86_400 };
    expect(decide(100, { snapshot, offline: true, policy: policyLong }).decision).toBe("approve");
    const tenDaysOn = new Date(now.getTime() + 11 * 86_400_000);
    const result = decide(100, { snapshot, offline: true, policy: policyLong, now: tenDaysOn });
    expect(result.reasons.map((reason) => reason.code)).toEqual(["overdue"]);
    expect(result.reasons[0]?.items).toEqual([{ invoice: "F-9", open: 10_000, daysOverdue: 31 }]);
  });

  it("keeps the message under 300 characters with many items: the oldest, then 'and N more'", () => {
    const items = Array.from({ length: OVERDUE_ITEMS_MAX }, (_, index) =>
      late(`F-2026-${String(index).padStart(5, "0")}`, 123_456, 31 + index),
    );
    const reason = overdueOf(withItems(items));
    expect(reason?.message.length).toBeLessThanOrEqual(300);
    expect(reason?.message).toMatch(
      /^overdue more than 30 days: F-2026-00499 €1,234\.56 \(530 days\), F-2026-00498 .*, and \d+ more; €617,280\.00 > floor €50\.00$/,
    );
    // The reason's items are the oldest, bounded so the ledger entry stays small.
    expect(reason?.items).toHaveLength(100);
    expect(reason?.items?.[0]).toEqual({
      invoice: "F-2026-00499",
      open: 123_456,
      daysOverdue: 530,
    });
  });

  it("counts what a full list leaves out as late as the newest item listed", () => {
    const items = Array.from({ length: OVERDUE_ITEMS_MAX }, (_, index) =>
      late(`F-${index}`, 1, 40 + index),
    );
    // 5.00 listed, 100.00 more overdue on later invoices the snapshot could not list.
    const listed = withItems(items);
    const snapshot = { ...listed, overdue: listed.overdue + 10_000 };
    expect(overdueOf(snapshot)?.message).toMatch(
      /, and \d+ more, €100\.00 on later invoices not listed; €105\.00 > floor €50\.00$/,
    );
    // When the newest listed item itself does not count, neither does the rest.
    const recent = withItems([...items.slice(0, 10), late("F-new", 1, 30)]);
    expect(overdueOf({ ...recent, overdue: recent.overdue + 10_000 })).toBeUndefined();
  });

  it("blocks exactly when the items more than N days late sum over the floor (any items, any N)", () => {
    const item = fc.record({
      invoice: fc.stringMatching(/^F-[0-9]{1,6}$/),
      open: fc.integer({ min: 0, max: 1_000_000 }),
      days: fc.integer({ min: 1, max: 400 }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 40 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 200_000 }),
        (raw, overdueDays, overdueFloor) => {
          const items = raw.map((one) => late(one.invoice, one.open, one.days));
          const rules = { ...policy, overdueDays, overdueFloor };
          const counted = raw.filter((one) => one.days > overdueDays);
          const sum = counted.reduce((total, one) => total + one.open, 0);
          const reason = overdueOf(withItems(items, { limit: null }), { policy: rules });
          expect(reason !== undefined).toBe(sum > overdueFloor);
          if (reason) {
            expect(reason.message.length).toBeLessThanOrEqual(300);
            expect(reason.items?.reduce((total, one) => total + one.open, 0)).toBe(sum);
          }
        },
      ),
    );
  });

  it("a list cut to its oldest items never approves what the whole list blocks", () => {
    const item = fc.record({
      open: fc.integer({ min: 0, max: 100_000 }),
      days: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 30 }), fc.nat(30), (raw, keep) => {
        const items = raw.map((one, index) => late(`F-${index}`, one.open, one.days));
        const whole = withItems(items, { limit: null });
        const cut = { ...whole, overdueItems: whole.overdueItems?.slice(0, keep) };
        if (overdueOf(whole)) expect(overdueOf(cut)).toBeDefined();
      }),
    );
  });

  it("counts whole days from the due date as the calendar does, and refuses what is not a date", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1970-01-01T00:00:00Z"),
          max: new Date("2200-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 86_400_000 * 4000 }),
        (due, later) => {
          const date = due.toISOString().slice(0, 10);
          const at = new Date(due.getTime() + later);
          const expected = Math.floor(
            (at.getTime() - Date.parse(`${date}T00:00:00Z`)) / 86_400_000,
          );
          expect(daysSince(date, at)).toBe(expected);
        },
      ),
    );
    for (const bad of [
      "2026-1-31",
      "2026-13-01",
      "2026-00-10",
      "2026-02-32",
      "20260131",
      "2026-01-3x",
      "",
    ]) {
      expect(() => daysSince(bad, now), bad).toThrow(RangeError);
    }
  });

  it("the snapshot carries the items, optional and bounded", () => {
    const snapshot = s1Snapshot({ overdueItems: [late("F-1", 100, 3)] });
    expect(CreditSnapshotSchema.parse(snapshot).overdueItems).toHaveLength(1);
    const { overdueItems: _items, ...older } = snapshot;
    expect(CreditSnapshotSchema.safeParse(older).success).toBe(true);
    const tooMany = Array.from({ length: OVERDUE_ITEMS_MAX + 1 }, (_, i) => late(`F-${i}`, 1, 40));
    const refused = CreditSnapshotSchema.safeParse(s1Snapshot({ overdueItems: tooMany }));
    expect(refused.error?.issues[0]?.path).toEqual(["overdueItems"]);
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

  it("writes the verdict's amounts with their currency in the site's locale; the words stay English", () => {
    const fr = (minor: number) =>
      new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(minor / 100);
    const approved = decide(80000 - 13890, {
      snapshot: { ...s1, outstanding: 0 },
      locale: "fr-FR",
    });
    expect(approved.reasons[0]?.message).toBe(
      `exposure ${fr(66110)} ≤ limit ${fr(500000)}; ${fr(433890)} left`,
    );
    // Intl's own French: decimal comma, narrow no-break spaces between groups and before "€".
    expect(fr(500000)).toBe("5\u202f000,00\u00a0€");
    const blocked = decide(90000, { locale: "en-US" });
    expect(blocked.reasons[0]?.message).toBe(
      "exposure €5,100.00 > limit €5,000.00; available €800.00",
    );
    const none = decide(100, { snapshot: { ...s1, limit: 0 }, locale: "fr-FR" });
    expect(none.reasons[0]?.message).toBe(
      `this customer has no credit (limit ${fr(0)}): cash only`,
    );
  });

  it("writes amounts the rules' way", () => {
    expect(formatAmount(510000, "EUR")).toBe("5 100.00");
    expect(formatAmount(-1, "EUR")).toBe("-0.01");
    expect(formatAmount(123456789, "EUR")).toBe("1 234 567.89");
  });
});

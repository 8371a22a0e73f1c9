import { describe, expect, it } from "vitest";
import { agedBalance, type OpenAmount } from "./aging.js";
import { accountingDso, countbackDso } from "./dso.js";
import { DunningConfigSchema, planDunning, type SentLetter } from "./dunning.js";
import { emptyProfile, payerProfiles } from "./payer-profile.js";

const item = (
  customer: string,
  document: string,
  dueDate: string,
  open: number,
  extra: Partial<OpenAmount> = {},
): OpenAmount => ({
  customer,
  kind: "invoice",
  document,
  issueDate: "2026-01-01",
  dueDate,
  open,
  ...extra,
});

describe("aged balance", () => {
  const amounts = [
    item("acme", "F-1", "2026-03-31", 10000), // not yet due
    item("acme", "F-2", "2026-03-01", 2550), // 19 days
    item("acme", "F-3", "2026-01-19", 3333), // 60 days
    item("acme", "F-4", "2026-01-18", 1), // 61 days
    item("acme", "F-5", "2025-11-20", 99999, { kind: "instalment", part: 2 }), // 120 days
    item("acme", "F-5", "2025-11-19", 12345, { kind: "instalment", part: 1 }), // 121 days
    item("acme", "P-1", "2026-03-15", -700, { kind: "payment", issueDate: "2026-03-15" }), // 5 days old
    item("bistro", "F-9", "2026-03-20", 5000), // due today: current
  ];

  it("puts each amount in its bucket by due date, instalments on their own, unapplied payments as negatives in their own column", () => {
    const aged = agedBalance(amounts, "2026-03-20", "due", "EUR");
    expect(aged.customers).toEqual([
      {
        customer: "acme",
        buckets: {
          current: 10000,
          "1-30": 2550,
          "31-60": 3333,
          "61-90": 1,
          "91-120": 99999,
          "over-120": 12345,
        },
        unapplied: -700,
        total: 127528,
      },
      {
        customer: "bistro",
        buckets: { current: 5000, "1-30": 0, "31-60": 0, "61-90": 0, "91-120": 0, "over-120": 0 },
        unapplied: 0,
        total: 5000,
      },
    ]);
    const sum = amounts.reduce((total, amount) => total + amount.open, 0);
    expect(aged.total).toBe(sum);
    expect(aged.unapplied).toBe(-700);
    expect(Object.values(aged.buckets).reduce((a, b) => a + b, 0) + aged.unapplied).toBe(sum);
    // The payment keeps its age (5 days), but is not netted into 1-30.
    expect(aged.items.find((i) => i.document === "P-1")).toMatchObject({
      bucket: "unapplied",
      days: 5,
    });
  });

  it("a credit note not yet used is unapplied too, whatever the basis", () => {
    const note = item("acme", "AV-1", "2025-10-01", -2000, {
      kind: "credit-note",
      issueDate: "2025-10-01",
    });
    for (const basis of ["due", "invoice"] as const) {
      const aged = agedBalance([note], "2026-03-20", basis, "EUR");
      expect(aged.buckets["over-120"], basis).toBe(0);
      expect(aged.unapplied, basis).toBe(-2000);
      expect(aged.total, basis).toBe(-2000);
    }
  });

  it("by invoice date, ages from the issue date", () => {
    const aged = agedBalance(
      [item("acme", "F-1", "2026-03-31", 10000, { issueDate: "2026-02-10" })],
      "2026-03-20",
      "invoice",
      "EUR",
    );
    expect(aged.items[0]).toMatchObject({ bucket: "31-60", days: 38 });
  });
});

describe("DSO", () => {
  it("countback: the worked example of the rules gives 53.25 days", () => {
    const result = countbackDso(20000_00, [
      { month: "2026-03", days: 30, sales: 12500_00 },
      { month: "2026-02", days: 31, sales: 10000_00 },
      { month: "2026-01", days: 31, sales: 9000_00 },
    ]);
    expect(result.days).toBe(53.25);
    expect(result.exhausted).toBe(true);
    expect(result.walk).toEqual([
      { month: "2026-03", days: 30, absorbed: 12500_00 },
      { month: "2026-02", days: 23.25, absorbed: 7500_00 },
    ]);
  });

  it("accounting: receivables ÷ sales × days", () => {
    expect(accountingDso(20000_00, 12500_00, 30)).toBe(48);
    expect(accountingDso(100, 0, 30)).toBeNull();
  });

  it("countback says when the receivables outlast the months given", () => {
    expect(countbackDso(500, [{ month: "2026-03", days: 31, sales: 100 }])).toMatchObject({
      days: 31,
      exhausted: false,
    });
  });
});

describe("payer profile", () => {
  it("averages days late over paid invoices, plain and weighted", () => {
    const profiles = payerProfiles([
      {
        customer: "acme",
        invoice: "F-1",
        dueDate: "2026-01-31",
        paidDate: "2026-02-10",
        amount: 100,
      },
      {
        customer: "acme",
        invoice: "F-2",
        dueDate: "2026-02-28",
        paidDate: "2026-02-26",
        amount: 300,
      },
    ]);
    expect(profiles.get("acme")).toEqual({
      customer: "acme",
      invoices: 2,
      averageDaysLate: 4,
      weightedDaysLate: 1,
      worstDaysLate: 10,
    });
  });
});

describe("dunning", () => {
  const config = DunningConfigSchema.parse({});
  const asOf = "2026-03-20";
  const run = (
    open: OpenAmount[],
    extra: { unmatched?: Map<string, number>; history?: SentLetter[]; late?: number } = {},
  ) =>
    planDunning(
      {
        asOf,
        open,
        unmatched: extra.unmatched ?? new Map(),
        profiles: new Map(
          extra.late === undefined
            ? []
            : [["acme", { ...emptyProfile("acme"), invoices: 3, averageDaysLate: extra.late }]],
        ),
        history: extra.history ?? [],
      },
      config,
    );

  it("levels by days from the due date: D−5 courtesy, D+7, D+15 with the 40.00 fee, D+30 final with a credit block", () => {
    const cases: [string, string | null, number, boolean][] = [
      ["2026-03-26", null, 0, false], // D−6: nothing yet
      ["2026-03-25", "courtesy", 0, false], // D−5
      ["2026-03-14", "courtesy", 0, false], // D+6: overdue, the first reminder not yet reached
      ["2026-03-13", "reminder-1", 0, false], // D+7
      ["2026-03-05", "reminder-2", 4000, false], // D+15
      ["2026-02-18", "final", 0, true], // D+30
    ];
    for (const [due, name, fee, block] of cases) {
      const letters = run([item("acme", "F-1", due, 1000)]);
      expect([
        due,
        letters[0]?.levelName ?? null,
        letters[0]?.fee ?? 0,
        letters[0]?.blockCredit ?? false,
      ]).toEqual([due, name, fee, block]);
    }
  });

  it("one letter per customer, listing every overdue item, at the highest level reached", () => {
    const letters = run([
      item("acme", "F-1", "2026-03-05", 1000),
      item("acme", "F-2", "2026-03-17", 250),
      item("acme", "F-3", "2026-04-30", 999),
    ]);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      customer: "acme",
      levelName: "reminder-2",
      status: "due",
      total: 1000 + 250 + 4000,
    });
    expect(letters[0]?.items.map((i) => [i.document, i.daysPastDue, i.level])).toEqual([
      ["F-1", 15, 2],
      ["F-2", 3, 0],
    ]);
  });

  it("is held for review when the customer has an unmatched receipt", () => {
    const [letter] = run([item("acme", "F-1", "2026-03-05", 1000)], {
      unmatched: new Map([["acme", 1000]]),
    });
    expect(letter).toMatchObject({
      status: "held",
      holdReason: expect.stringContaining("1000 minor units received and not matched"),
    });
  });

  it("does not send the same level twice, escalates later, and thanks once after payment", () => {
    const history: SentLetter[] = [
      {
        customer: "acme",
        kind: "reminder",
        level: 1,
        items: ["F-1"],
        fee: 0,
        at: "2026-03-13T09:00:00Z",
      },
    ];
    expect(run([item("acme", "F-1", "2026-03-13", 1000)], { history })).toEqual([]);
    expect(run([item("acme", "F-1", "2026-03-05", 1000)], { history })[0]?.levelName).toBe(
      "reminder-2",
    );
    const thanks = run([], { history });
    expect(thanks.map((l) => [l.customer, l.kind])).toEqual([["acme", "thank-you"]]);
    expect(
      run([], {
        history: [
          ...history,
          {
            customer: "acme",
            kind: "thank-you",
            level: null,
            items: [],
            fee: 0,
            at: "2026-03-19T09:00:00Z",
          },
        ],
      }),
    ).toEqual([]);
  });

  it("late payers skip the courtesy level and are reminded earlier", () => {
    expect(run([item("acme", "F-1", "2026-03-24", 1000)], { late: 12 })).toEqual([]); // no courtesy
    expect(run([item("acme", "F-1", "2026-03-16", 1000)], { late: 12 })[0]?.levelName).toBe(
      "reminder-1",
    ); // D+4 + 3 advance
    expect(run([item("acme", "F-1", "2026-03-16", 1000)], { late: 2 })[0]?.levelName).toBe(
      "courtesy",
    ); // D+4, a good payer
  });

  it("refuses levels out of order", () => {
    expect(
      DunningConfigSchema.safeParse({
        levels: [
          { level: 0, name: "a", days: 10 },
          { level: 1, name: "b", days: 5 },
        ],
      }).success,
    ).toBe(false);
  });
});

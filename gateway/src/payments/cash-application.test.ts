import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { letterCode } from "../receivables/allocations.js";
import type { OpenInvoice } from "../receivables/queries.js";
import { labelCandidates, planCashApplication, referencedInvoices } from "./cash-application.js";

const open: OpenInvoice[] = [
  { number: "F-3", balance: 30000, dueDate: "2026-02-01", issueDate: "2026-01-01" },
  { number: "F-1", balance: 10000, dueDate: "2026-01-10", issueDate: "2025-12-10" },
  { number: "F-2", balance: 20000, dueDate: "2026-01-20", issueDate: "2025-12-20" },
];

describe("cash application", () => {
  it("pays the invoices the label names first, in the order named, then oldest due first", () => {
    const plan = planCashApplication(45000, "VIR CLIENT F-3 ET f-2", open, 100);
    expect(plan.allocations).toEqual([
      { invoice: "F-3", amount: 30000, rule: "label-reference", writeOff: false },
      { invoice: "F-2", amount: 15000, rule: "label-reference", writeOff: false },
    ]);
    expect(plan.unapplied).toBe(0);
  });

  it("without references, settles the oldest due first", () => {
    const plan = planCashApplication(15000, "", open, 100);
    expect(plan.allocations.map((a) => [a.invoice, a.amount, a.rule])).toEqual([
      ["F-1", 10000, "oldest-due"],
      ["F-2", 5000, "oldest-due"],
    ]);
  });

  it("writes off a short payment's residue within the tolerance, not beyond", () => {
    const short = planCashApplication(9950, "F-1", open, 100);
    expect(short.allocations).toEqual([
      { invoice: "F-1", amount: 9950, rule: "label-reference", writeOff: false },
      { invoice: "F-1", amount: 50, rule: "tolerance-underpayment", writeOff: true },
    ]);
    const tooShort = planCashApplication(9899, "F-1", open, 100);
    expect(tooShort.allocations).toHaveLength(1);
  });

  it("writes off a small excess once something was paid; a bigger one stays unapplied", () => {
    const total = 60000;
    const small = planCashApplication(total + 80, "", open, 100);
    expect(small.allocations.at(-1)).toEqual({
      invoice: null,
      amount: 80,
      rule: "tolerance-overpayment",
      writeOff: true,
    });
    expect(small.unapplied).toBe(0);
    expect(planCashApplication(total + 101, "", open, 100).unapplied).toBe(101);
    // Nothing owed: even a small amount is the customer's credit, not a write-off.
    expect(planCashApplication(50, "", [], 100)).toEqual({ allocations: [], unapplied: 50 });
  });

  it("finds a number only where nothing alphanumeric touches it", () => {
    const numbers = [{ ...open[1], number: "F-12" } as OpenInvoice, open[1] as OpenInvoice];
    expect(referencedInvoices("paid F-123", numbers)).toEqual([]);
    expect(referencedInvoices("paid F-12, F-1.", numbers)).toEqual(["F-12", "F-1"]);
  });

  it("letters matching groups like a ledger", () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(letterCode)).toEqual([
      "A",
      "B",
      "Z",
      "AA",
      "AB",
      "ZZ",
      "AAA",
    ]);
  });
});

describe("labelCandidates", () => {
  it("holds every invoice number referencedInvoices would find in the label (so a lookup by number misses none)", () => {
    const chars = fc.constantFrom(..."AbF-/ .#:019xZ_,");
    const numbers = fc.array(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        numbers,
        fc.array(fc.nat(5)),
        fc.string({ unit: chars, maxLength: 20 }),
        (all, picks, noise) => {
          const text = [noise, ...picks.map((i) => all[i % all.length]), noise].join(" ");
          const invoices = all.map((number) => ({
            number,
            balance: 1,
            dueDate: "",
            issueDate: "",
          }));
          const candidates = new Set(labelCandidates(text));
          for (const found of referencedInvoices(text, invoices)) {
            expect(candidates.has(found.toUpperCase())).toBe(true);
          }
        },
      ),
    );
  });

  it("finds a number written in another case, with punctuation around it", () => {
    expect(labelCandidates("vir sepa:f-2026/001, merci")).toContain("F-2026/001");
    expect(labelCandidates("PAY #123.")).toContain("#123");
  });
});

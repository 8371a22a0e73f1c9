import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePaymentCsv, paymentCsvTemplate } from "./csv-payments.js";

describe("payments CSV (bank export)", () => {
  it("reads a French bank export: semicolons, DD/MM/YYYY, decimal comma", () => {
    const result = parsePaymentCsv(
      readFileSync(new URL("./fixtures/payments.csv", import.meta.url), "utf8"),
    );
    expect(result.ok && result.items.map((p) => [p.date, p.amount, p.reference, p.payer])).toEqual([
      ["2026-03-15", 13200, "F-2026-0001", "ACME Batiment SAS"],
      ["2026-03-20", 10000, undefined, "Le Bistro du Port"],
    ]);
  });

  it("refuses a header with an unknown, a repeated or a missing column, naming each", () => {
    const result = parsePaymentCsv("date;Date;colour;label\n2026-03-15;2026-03-15;red;VIR\n");
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'column "Date" appears twice',
      'unknown column "colour": the columns are id, date, amount, currency, label, reference, payer, customer',
      'missing column "amount"',
    ]);
  });

  it("reads its own template", () => {
    const result = parsePaymentCsv(paymentCsvTemplate());
    expect(result.ok && result.items[0]).toMatchObject({
      id: "BNK-20260315-001",
      amount: 18000,
      customer: "acme",
    });
  });

  it("a bad export is refused whole, every row's problems listed", () => {
    const text = [
      "id,date,amount,label,payer",
      "P1,2026-03-01,10.00,ok,ACME",
      "P2,2026-13-01,10.00,bad month,ACME",
      "P3,2026-03-02,-5.00,refund,ACME",
      "P4,2026-03-02,12.345,too precise,ACME",
      "P1,2026-03-03,1.00,same id,ACME",
    ].join("\n");
    expect(parsePaymentCsv(text)).toEqual({
      ok: false,
      problems: [
        { path: "line 3, date", message: '"2026-13-01" is not a date (YYYY-MM-DD or DD/MM/YYYY)' },
        { path: "line 4, amount", message: "must be positive" },
        { path: "line 5, amount", message: '"12.345" has more than 2 decimals for EUR' },
        { path: "line 6, id", message: "payment P1 already appears on line 2" },
      ],
    });
  });
});

describe("payments JSON", () => {
  it("takes an array and lists every problem by path, duplicates included", async () => {
    const { parsePaymentJson } = await import("./json-payments.js");
    const good = { id: "P1", date: "2026-03-01", amount: 100, currency: "EUR" };
    expect(parsePaymentJson(JSON.stringify([good]))).toMatchObject({
      ok: true,
      items: [{ id: "P1", label: "" }],
    });
    expect(
      parsePaymentJson(JSON.stringify({ payments: [good, { ...good, amount: 1.5 }, good] })),
    ).toEqual({
      ok: false,
      problems: [
        {
          path: "payments[1].amount",
          message: "must be an integer of minor units (cents), not a decimal",
        },
        { path: "payments[2]", message: "payment P1 already appears at payments[0]" },
      ],
    });
  });
});

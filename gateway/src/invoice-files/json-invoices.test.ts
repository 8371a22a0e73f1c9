import { describe, expect, it } from "vitest";
import { parseInvoiceJson } from "./json-invoices.js";

const invoice = {
  number: "F-9",
  direction: "customer",
  type: "invoice",
  issueDate: "2026-01-10",
  currency: "EUR",
  customer: "acme",
  lines: [],
  netTotal: 1000,
  vatTotal: 200,
  grossTotal: 1200,
  amountDue: 1200,
};

describe("invoice JSON", () => {
  it("takes one invoice, an array, or { invoices }", () => {
    for (const body of [invoice, [invoice], { invoices: [invoice] }]) {
      const result = parseInvoiceJson(JSON.stringify(body));
      expect(result.ok && result.items.map((item) => [item.number, item.source?.format])).toEqual([
        ["F-9", "json"],
      ]);
    }
  });

  it("lists every problem of every invoice by path, and duplicates in the file", () => {
    const result = parseInvoiceJson(
      JSON.stringify({
        invoices: [
          { ...invoice, netTotal: 10.5 },
          { ...invoice, number: "F-10", customer: undefined },
          invoice,
          invoice,
        ],
      }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "invoices[0].netTotal",
          message: "must be an integer of minor units (cents), not a decimal",
        },
        { path: "invoices[1].customer", message: "is required on a customer invoice" },
        { path: "invoices[3]", message: "invoice number F-9 already appears at invoices[2]" },
      ],
    });
  });

  it("refuses text that is not JSON", () => {
    const result = parseInvoiceJson("{ nope");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/^not valid JSON: /);
  });
});

import { describe, expect, it } from "vitest";
import { invoiceCsvTemplate, parseInvoiceCsv } from "./csv-invoices.js";

const HEADER =
  "number,type,issue_date,due_date,currency,customer,preceding_invoice,net_total,vat_total,gross_total,amount_due,line_id,sku,quantity,unit_price,line_net,vat_rate";

describe("invoice CSV", () => {
  it("the served template parses into its two example invoices", () => {
    const result = parseInvoiceCsv(invoiceCsvTemplate());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(
      result.items.map((invoice) => [
        invoice.number,
        invoice.type,
        invoice.lines.length,
        invoice.amountDue,
      ]),
    ).toEqual([
      ["F-2026-0001", "invoice", 2, 18000],
      ["AV-2026-0001", "credit-note", 1, 1200],
    ]);
    expect(result.items[1]?.precedingInvoice).toBe("F-2026-0001");
  });

  it("groups rows by invoice number, accepts semicolons, quotes and CRLF", () => {
    const text = [
      "number;issue_date;currency;customer;net_total;vat_total;gross_total;line_id;sku;item_name;quantity;unit_price;line_net",
      'F-1;2026-01-05;EUR;acme;30.00;6.00;36.00;1;A;"Vis; inox ""A2""";2;10.00;20.00',
      "F-1;2026-01-05;EUR;acme;30.00;6.00;36.00;2;B;Écrou;1;10.00;10.00",
      "F-2;2026-01-06;EUR;acme;500.00;100.00;600.00;;;;;;",
    ].join("\r\n");
    const result = parseInvoiceCsv(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items[0]?.lines.map((line) => line.name)).toEqual(['Vis; inox "A2"', "Écrou"]);
    expect(result.items[0]?.amountDue).toBe(3600);
    expect(result.items[1]?.lines).toEqual([]);
    expect(result.notes).toEqual([
      "invoice F-2 has no lines: kept for receivables, cannot be matched against stock",
    ]);
  });

  it("a bad file is refused whole, with every problem by line and column", () => {
    const text = [
      HEADER,
      "F-1,380,2026-01-05,,EUR,acme,,30.00,6.00,36.00,36.00,1,A,2,10.00,20.00,20",
      "F-1,380,2026-01-06,,EUR,acme,,30.00,6.00,36.00,36.00,2,B,1,10.00,10.00,20",
      "F-2,381,2026-01-07,,EUR,acme,,10.00,2.00,12.00,12.00,1,A,1,10.00,10.00,20",
      "F-3,380,2026-02-30,,EUR,acme,,10.005,2.00,12.00,12.00,1,A,x,10.00,10.00,20",
      "F-4,380,2026-01-08,,EUR,acme,,10.00,2.00,12.50,12.50,1,A,1,10.00,10.00,20",
      "F-5,380,2026-01-08,,EUR,acme,,10.00,2.00",
    ].join("\n");
    const result = parseInvoiceCsv(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: "line 7", message: "has 9 fields, the header has 17" },
      {
        path: "line 3, issue_date",
        message: '"2026-01-06" differs from "2026-01-05" on line 2 for the same invoice',
      },
      { path: "line 4, preceding_invoice", message: "is required on a credit note (BT-25)" },
      { path: "line 5, net_total", message: '"10.005" has more than 2 decimals for EUR' },
      { path: "line 5, quantity", message: '"x" is not a decimal quantity' },
      { path: "line 5, issue_date", message: "Invalid ISO date" },
      {
        path: "line 6, gross_total",
        message: "net 1000 + VAT 200 is 1200, not the total 1250 (minor units)",
      },
    ]);
  });

  it("reports an invalid date and unknown or missing columns", () => {
    const dated = parseInvoiceCsv(
      `${HEADER}\nF-3,380,2026-02-30,,EUR,acme,,10.00,2.00,12.00,12.00,1,A,1,10.00,10.00,20`,
    );
    expect(dated.ok ? [] : dated.problems.map((p) => p.path)).toEqual(["line 2, issue_date"]);
    const columns = parseInvoiceCsv("number,colour,issue_date\nF-1,red,2026-01-01");
    expect(columns.ok ? [] : columns.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unknown column "colour"'),
      'missing column "currency"',
      'missing column "net_total"',
      'missing column "vat_total"',
      'missing column "gross_total"',
    ]);
  });

  it("refuses an unclosed quote with its line", () => {
    const result = parseInvoiceCsv(`${HEADER}\nF-1,"380,2026-01-05`);
    expect(result).toEqual({
      ok: false,
      problems: [{ path: "line 2", message: "a quoted field is never closed" }],
    });
  });
});

describe("invoice CSV, exactness (property)", () => {
  it("any amounts written as decimals read back to the same minor units, lines and totals", async () => {
    const fc = (await import("fast-check")).default;
    const { formatDecimalMoney } = await import("@comptoir/contracts");
    const { csvLine } = await import("../file-readers/csv-reader.js");
    const cents = fc.integer({ min: 0, max: 99_999_999_999 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 999 }), cents), { minLength: 1, maxLength: 5 }),
        cents,
        (lines, vat) => {
          const net = lines.reduce((sum, [, amount]) => sum + amount, 0);
          const eur = (amount: number) => formatDecimalMoney({ amount, currency: "EUR" });
          const header = csvLine([
            "number",
            "issue_date",
            "currency",
            "customer",
            "net_total",
            "vat_total",
            "gross_total",
            "line_id",
            "quantity",
            "unit_price",
            "line_net",
          ]);
          const rows = lines.map(([quantity, amount], index) =>
            csvLine([
              "F-1",
              "2026-01-01",
              "EUR",
              "acme",
              eur(net),
              eur(vat),
              eur(net + vat),
              String(index + 1),
              String(quantity),
              eur(amount),
              eur(amount),
            ]),
          );
          const result = parseInvoiceCsv(header + rows.join(""));
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const [invoice] = result.items;
          expect(invoice?.lines.map((line) => line.netAmount)).toEqual(
            lines.map(([, amount]) => amount),
          );
          expect([
            invoice?.netTotal,
            invoice?.vatTotal,
            invoice?.grossTotal,
            invoice?.amountDue,
          ]).toEqual([net, vat, net + vat, net + vat]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCii } from "./cii.js";
import { parseInvoiceFile } from "./index.js";
import { parseUbl } from "./ubl.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("UBL 2.1", () => {
  it("reads an invoice: parties, references, lines with GTIN, price per base quantity, BT-114 rounding", () => {
    const result = parseUbl(fixture("ubl-invoice.xml"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [invoice] = result.items;
    expect(invoice).toMatchObject({
      number: "F-2026-0001",
      direction: "customer",
      type: "invoice",
      issueDate: "2026-03-02",
      dueDate: "2026-04-01",
      customer: "acme",
      orderRef: "SO-1001",
      despatchRef: "DES-1001",
      netTotal: 11002,
      vatTotal: 2200,
      grossTotal: 13202,
      amountDue: 13200,
    });
    expect(invoice?.lines).toEqual([
      {
        id: "1",
        gtin: "03760000000017",
        sku: "WID-1",
        name: "Widget",
        quantity: 10,
        unitCode: "C62",
        unitPrice: 1000,
        netAmount: 10000,
        vatRate: 20,
      },
      {
        id: "2",
        sku: "BOLT-8",
        name: "Bolt M8 (box)",
        quantity: 3,
        unitCode: "C62",
        unitPrice: 334,
        netAmount: 1002,
        vatRate: 20,
      },
    ]);
  });

  it("reads a credit note (381) with the invoice it corrects (BT-25)", () => {
    const result = parseInvoiceFile(fixture("ubl-credit-note.xml"), "xml");
    expect(result.ok && result.items[0]).toMatchObject({
      number: "AV-2026-0001",
      type: "credit-note",
      precedingInvoice: "F-2026-0001",
      amountDue: 401,
      lines: [{ sku: "BOLT-8", quantity: 1 }],
    });
  });

  it("reads supplier invoices with the seller as supplier", () => {
    const result = parseUbl(fixture("ubl-invoice.xml"), { direction: "supplier" });
    expect(result.ok && result.items[0]).toMatchObject({
      direction: "supplier",
      supplier: "12345678900012",
    });
  });

  it("a broken invoice lists every problem by XPath", () => {
    const broken = fixture("ubl-invoice.xml")
      .replace("<cbc:IssueDate>2026-03-02</cbc:IssueDate>", "")
      .replace(">10</cbc:InvoicedQuantity>", ">ten</cbc:InvoicedQuantity>")
      .replace(
        '<cbc:TaxInclusiveAmount currencyID="EUR">132.02',
        '<cbc:TaxInclusiveAmount currencyID="EUR">132.025',
      )
      .replace('<cbc:ID schemeID="0160">', '<cbc:ID schemeID="0088">');
    const result = parseUbl(broken);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "/Invoice/cac:InvoiceLine[1]/cac:Item/cac:StandardItemIdentification/cbc:ID",
          message: "scheme 0088 is not GTIN (0160)",
        },
        {
          path: "/Invoice/cac:InvoiceLine[1]/cbc:InvoicedQuantity",
          message: '"ten" is not a decimal quantity',
        },
        { path: "/Invoice/cbc:IssueDate", message: "is required" },
        {
          path: "/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
          message: '"132.025" has more than 2 decimals for EUR',
        },
      ],
    });
  });

  it("totals that do not add up are refused, pointing at the total", () => {
    const result = parseUbl(
      fixture("ubl-invoice.xml").replace(
        ">132.00</cbc:PayableAmount>",
        ">132.02</cbc:PayableAmount>",
      ),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
          message:
            "total 13202 − prepaid 0 + rounding -2 is 13200, not the amount due 13202 (minor units)",
        },
      ],
    });
  });

  it("a credit note without its preceding invoice is refused (BT-25)", () => {
    const result = parseUbl(
      fixture("ubl-credit-note.xml").replace(
        /<cac:BillingReference>[\s\S]*<\/cac:BillingReference>/,
        "",
      ),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "/CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
          message: "is required on a credit note (BT-25)",
        },
      ],
    });
  });

  it("a DOCTYPE (entity expansion) is refused", () => {
    const result = parseUbl('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<Invoice/>');
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "line 2",
          message: "not well-formed XML: a DOCTYPE is not allowed in an invoice file: remove it",
        },
      ],
    });
  });

  it("malformed XML is refused with its line", () => {
    const result = parseUbl("<Invoice>\n<cbc:ID>1</cbc:ID>\n</Invoic>");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe("line 3");
  });
});

describe("UN/CEFACT CII (Factur-X / ZUGFeRD)", () => {
  it("reads an EN 16931 invoice: 4-decimal price rounded, basis quantity, prepaid, profile", () => {
    const result = parseCii(fixture("cii-en16931.xml"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items[0]).toMatchObject({
      number: "F-2026-0002",
      issueDate: "2026-03-05",
      dueDate: "2026-04-30",
      customer: "bistro",
      orderRef: "SO-1002",
      despatchRef: "DES-1002",
      netTotal: 8998,
      vatTotal: 1800,
      grossTotal: 10798,
      prepaid: 798,
      amountDue: 10000,
      source: { format: "cii", profile: "EN 16931" },
    });
    expect(
      result.items[0]?.lines.map((line) => [
        line.gtin ?? line.sku,
        line.quantity,
        line.unitPrice,
        line.netAmount,
      ]),
    ).toEqual([
      ["03760000000024", 20, 250, 5000],
      ["WID-1", 4, 1000, 3998],
    ]);
    expect(result.notes).toEqual([]);
  });

  it("accepts a MINIMUM profile without lines and flags it as unable to match stock", () => {
    const result = parseInvoiceFile(fixture("cii-minimum.xml"), "xml");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items[0]).toMatchObject({
      number: "F-2026-0003",
      lines: [],
      amountDue: 60000,
      customer: "acme",
      source: { profile: "MINIMUM" },
    });
    expect(result.notes).toEqual([
      "invoice F-2026-0003 has no lines (profile MINIMUM): kept for receivables, cannot be matched against stock",
    ]);
  });

  it("a broken CII lists every problem by XPath", () => {
    const broken = fixture("cii-en16931.xml")
      .replace(
        '<udt:DateTimeString format="102">20260305</udt:DateTimeString>',
        '<udt:DateTimeString format="102">2026-03-05</udt:DateTimeString>',
      )
      .replace(
        "<ram:LineTotalAmount>39.98</ram:LineTotalAmount>",
        "<ram:LineTotalAmount>39.99</ram:LineTotalAmount>",
      )
      .replace('<ram:BilledQuantity unitCode="C62">20</ram:BilledQuantity>', "");
    const result = parseCii(broken);
    const T = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction";
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
          message: '"2026-03-05" (format 102) is not a date in format 102 (YYYYMMDD)',
        },
        {
          path: `${T}/ram:IncludedSupplyChainTradeLineItem[1]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity`,
          message: "is required",
        },
      ],
    });
  });

  it("lines that do not add up to the line total are refused", () => {
    const result = parseCii(
      fixture("cii-en16931.xml").replace(
        "<ram:LineTotalAmount>39.98</ram:LineTotalAmount>",
        "<ram:LineTotalAmount>39.99</ram:LineTotalAmount>",
      ),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount",
          message: "line amounts add up to 8999, not the line total 8998 (minor units)",
        },
      ],
    });
  });

  it("a MINIMUM profile that carries lines is refused", () => {
    const lines =
      /<ram:IncludedSupplyChainTradeLineItem>[\s\S]*<\/ram:IncludedSupplyChainTradeLineItem>/.exec(
        fixture("cii-en16931.xml"),
      )?.[0] ?? "";
    const result = parseCii(
      fixture("cii-minimum.xml").replace(
        "<ram:ApplicableHeaderTradeAgreement>",
        `${lines}<ram:ApplicableHeaderTradeAgreement>`,
      ),
    );
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toContain(
      "profile MINIMUM has no invoice lines; declare BASIC or EN 16931 to send lines",
    );
  });
});

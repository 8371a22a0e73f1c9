import { describe, expect, it } from "vitest";
import { facturXPdf } from "../../invoice-files/testing/factur-x-pdf.js";
import { invoiceFixture as fixture, importSitePerTest } from "../../testing/file-import.js";
import { invoiceJson } from "../../testing/gateway-app.js";

const site = importSitePerTest();

describe("POST /invoices/import", () => {
  it("imports a UBL invoice then its credit note (381): the credit note reduces the invoice's balance", async () => {
    const s = await site();
    const invoice = await s.call("POST", "/invoices/import", {
      raw: fixture("ubl-invoice.xml"),
      type: "application/xml",
    });
    expect(invoice.status, invoice.text).toBe(201);
    expect(invoice.body).toMatchObject({
      format: "ubl",
      imported: 1,
      invoices: [{ number: "F-2026-0001", customer: "acme", amountDue: 13200, openBalance: 13200 }],
    });
    const note = await s.call("POST", "/invoices/import", {
      raw: fixture("ubl-credit-note.xml"),
      type: "text/xml",
    });
    expect(note.status, note.text).toBe(201);
    const listed = await s.call("GET", "/invoices?customer=acme");
    const f1 = listed.body.invoices.find((row: { number: string }) => row.number === "F-2026-0001");
    expect(f1.openBalance).toBe(13200 - 401);
    expect(s.gatewayEntries("invoices.imported")).toHaveLength(2);
  });

  it("imports CII (EN 16931 and MINIMUM, the latter flagged as unable to match stock) and resolves the buyer by name", async () => {
    const s = await site();
    const full = await s.call("POST", "/invoices/import", {
      raw: fixture("cii-en16931.xml"),
      type: "application/xml",
    });
    expect(full.status, full.text).toBe(201);
    expect(full.body.invoices[0]).toMatchObject({
      number: "F-2026-0002",
      customer: "bistro",
      amountDue: 10000,
    });
    // The MINIMUM sample names its buyer by legal id "acme"; drop it to make the import find the customer by name.
    const byName = fixture("cii-minimum.xml").replace(
      '<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">acme</ram:ID></ram:SpecifiedLegalOrganization>',
      "",
    );
    const minimum = await s.call("POST", "/invoices/import", {
      raw: byName,
      type: "application/xml",
    });
    expect(minimum.status, minimum.text).toBe(201);
    expect(minimum.body.invoices[0]).toMatchObject({ number: "F-2026-0003", customer: "acme" });
    expect(minimum.body.notes).toEqual([
      "invoice F-2026-0003 has no lines (profile MINIMUM): kept for receivables, cannot be matched against stock",
    ]);
  });

  it("imports the CSV template served by the API, all or nothing", async () => {
    const s = await site();
    const template = await s.call("GET", "/invoices/template.csv");
    expect(template.status).toBe(200);
    expect(template.type).toMatch(/^text\/csv/);
    const imported = await s.call("POST", "/invoices/import", {
      raw: template.text,
      type: "text/csv",
    });
    expect(imported.status, imported.text).toBe(201);
    expect(imported.body.invoices.map((row: { number: string }) => row.number)).toEqual([
      "F-2026-0001",
      "AV-2026-0001",
    ]);
  });

  it("a bad file is refused whole with every problem, and nothing changes", async () => {
    const s = await site();
    const before = s.state();
    const bad = fixture("ubl-invoice.xml")
      .replace(">10</cbc:InvoicedQuantity>", ">dix</cbc:InvoicedQuantity>")
      .replace("<cbc:IssueDate>2026-03-02</cbc:IssueDate>", "");
    const res = await s.call("POST", "/invoices/import", { raw: bad, type: "application/xml" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_file");
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "/Invoice/cac:InvoiceLine[1]/cbc:InvoicedQuantity",
      "/Invoice/cbc:IssueDate",
    ]);
    expect(res.body.error.message).toContain("nothing imported");
    expect(s.state()).toBe(before);
  });

  it("the same number again is a 409 and nothing of the file is kept, even its new invoices; ?update=true replaces", async () => {
    const s = await site();
    const first = await s.call("POST", "/invoices/import", {
      body: [invoiceJson("F-1", "acme", [["WID", 2, 1000]])],
    });
    expect(first.status, first.text).toBe(201);
    const before = s.state();
    const again = await s.call("POST", "/invoices/import", {
      body: [
        invoiceJson("F-2", "acme", [["WID", 1, 1000]]),
        invoiceJson("F-1", "acme", [["WID", 3, 1000]]),
      ],
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/^invoice F-1: .*already recorded.*nothing imported$/);
    expect(s.state()).toBe(before);
    const update = await s.call("POST", "/invoices/import?update=true", {
      body: [invoiceJson("F-1", "acme", [["WID", 3, 1000]])],
    });
    expect(update.status, update.text).toBe(201);
    expect(update.body.invoices[0]).toMatchObject({ number: "F-1", amountDue: 3000, revision: 2 });
  });

  it("?dryRun=true checks against the store, lists every refused invoice, and stores nothing", async () => {
    const s = await site();
    const first = await s.call("POST", "/invoices/import", {
      body: [invoiceJson("F-1", "acme", [["WID", 2, 1000]])],
    });
    expect(first.status, first.text).toBe(201);
    const before = s.state();
    const bad = [
      invoiceJson("F-2", "acme", [["WID", 1, 1000]]),
      invoiceJson("F-1", "acme", [["WID", 3, 1000]]),
      invoiceJson("F-3", "nobody", [["WID", 1, 1000]]),
    ];
    for (const query of ["?dryRun=true", ""]) {
      const refused = await s.call("POST", `/invoices/import${query}`, { body: bad });
      expect(refused.status, query).toBe(409);
      expect(refused.body.error.problems).toEqual([
        { path: "[1].number", message: expect.stringMatching(/^invoice F-1: .*already recorded/) },
        {
          path: expect.stringMatching(/^\[2\]/),
          message: expect.stringContaining("invoice F-3: no customer nobody"),
        },
      ]);
      expect(refused.body.error.message).toMatch(
        /\(and 1 more, see problems\) — nothing imported$/,
      );
      expect(s.state()).toBe(before);
    }
    const good = [bad[0], invoiceJson("F-3", "bistro", [["WID", 1, 1000]])];
    const checked = await s.call("POST", "/invoices/import?dryRun=true", { body: good });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.body).toMatchObject({ dryRun: true, imported: 0, format: "json" });
    expect(checked.body.invoices.map((i: { number: string }) => i.number)).toEqual(["F-2", "F-3"]);
    expect(s.state()).toBe(before);
    const real = await s.call("POST", "/invoices/import", { body: good });
    expect(real.status, real.text).toBe(201);
    expect(real.body.imported).toBe(2);
    expect(real.body.dryRun).toBeUndefined();
  });

  it("an unknown customer is a 422 naming the invoice; an unsupported type a 415", async () => {
    const s = await site();
    const before = s.state();
    const res = await s.call("POST", "/invoices/import", {
      body: [
        invoiceJson("F-1", "acme", [["WID", 1, 100]]),
        invoiceJson("F-2", "nobody", [["WID", 1, 100]]),
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain("invoice F-2: no customer nobody");
    const sheet = await s.call("POST", "/invoices/import", {
      raw: "PK\u0003\u0004",
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
    expect(sheet.status).toBe(415);
    expect(sheet.body.error.message).toMatch(/application\/pdf/);
    expect(s.state()).toBe(before);
  });

  it("imports a Factur-X PDF by its embedded CII: stored with its lines, recorded as from a PDF", async () => {
    const s = await site();
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: fixture("cii-en16931.xml") }]);
    const res = await s.call("POST", "/invoices/import", { raw: pdf, type: "application/pdf" });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      format: "facturx-pdf",
      imported: 1,
      invoices: [{ number: "F-2026-0002", customer: "bistro", amountDue: 10000 }],
    });
    const stored = s.store.db
      .prepare("SELECT source FROM invoices WHERE number = 'F-2026-0002'")
      .get() as { source: string };
    expect(stored.source).toBe("facturx-pdf");
    const lines = s.store.db
      .prepare(
        "SELECT gtin, sku, quantity, unit_price AS unitPrice FROM invoice_lines ORDER BY line",
      )
      .all();
    expect(lines).toEqual([
      { gtin: "03760000000024", sku: "NUT-8", quantity: 20, unitPrice: 250 },
      { gtin: null, sku: "WID-1", quantity: 4, unitPrice: 1000 },
    ]);
    expect(s.gatewayEntries("invoices.imported").map((entry) => entry.data)).toMatchObject([
      { format: "facturx-pdf", invoices: ["F-2026-0002"] },
    ]);
  });

  it("a broken PDF, or a broken XML inside one, is refused whole and nothing is stored", async () => {
    const s = await site();
    const before = s.state();
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: fixture("cii-en16931.xml") }]);
    const truncated = await s.call("POST", "/invoices/import", {
      raw: pdf.subarray(0, Math.floor(pdf.length / 2)),
      type: "application/pdf",
    });
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.code).toBe("invalid_file");
    expect(truncated.body.error.message).toMatch(/nothing imported — the PDF is damaged: /);
    const badXml = await facturXPdf([
      {
        name: "factur-x.xml",
        content: fixture("cii-en16931.xml").replace(
          '<ram:BilledQuantity unitCode="C62">20</ram:BilledQuantity>',
          "",
        ),
      },
    ]);
    const inside = await s.call("POST", "/invoices/import", {
      raw: badXml,
      type: "application/pdf",
    });
    expect(inside.status).toBe(400);
    expect(inside.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "factur-x.xml: /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[1]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
    ]);
    expect(s.state()).toBe(before);
  });

  it("needs a role that may write receivables", async () => {
    const s = await site();
    const res = await s.call("POST", "/invoices/import", {
      role: "warehouse",
      body: [invoiceJson("F-1", "acme", [["WID", 1, 100]])],
    });
    expect(res.status).toBe(403);
  });
});

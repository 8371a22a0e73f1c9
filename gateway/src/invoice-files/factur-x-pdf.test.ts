import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCii } from "./cii.js";
import { extractFacturXml } from "./factur-x-pdf.js";
import { formatOf, formatOfFile, parseInvoicePdf } from "./index.js";
import { facturXPdf } from "./testing/factur-x-pdf.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const cii = fixture("cii-en16931.xml");

describe("extractFacturXml", () => {
  it("finds factur-x.xml in the EmbeddedFiles name tree and decodes it", async () => {
    const pdf = await facturXPdf([
      { name: "terms.txt", content: "conditions", mimeType: "text/plain" },
      { name: "factur-x.xml", content: cii },
    ]);
    expect(await extractFacturXml(pdf)).toEqual({ ok: true, xml: cii, name: "factur-x.xml" });
  });

  it("prefers the standard names, whatever their case, over another XML", async () => {
    const other = cii.replace("F-2026-0002", "OTHER-1");
    const pdf = await facturXPdf([
      { name: "order-copy.xml", content: other },
      { name: "ZUGFeRD-invoice.xml", content: cii },
    ]);
    expect(await extractFacturXml(pdf)).toMatchObject({ ok: true, name: "ZUGFeRD-invoice.xml" });
  });

  it("walks a name tree split into /Kids", async () => {
    const pdf = await facturXPdf(
      [
        { name: "a.txt", content: "a", mimeType: "text/plain" },
        { name: "xrechnung.xml", content: cii },
      ],
      { nested: true },
    );
    expect(await extractFacturXml(pdf)).toEqual({ ok: true, xml: cii, name: "xrechnung.xml" });
  });

  it("finds a file listed only in the catalog's /AF", async () => {
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: cii }], {
      associatedOnly: true,
    });
    expect(await extractFacturXml(pdf)).toEqual({ ok: true, xml: cii, name: "factur-x.xml" });
  });

  it("takes an XML attachment under another name when it is a CII invoice", async () => {
    const pdf = await facturXPdf([
      { name: "notes.xml", content: "<notes/>" },
      { name: "invoice-F-2026-0002.xml", content: cii },
    ]);
    expect(await extractFacturXml(pdf)).toMatchObject({
      ok: true,
      name: "invoice-F-2026-0002.xml",
    });
  });

  it("a PDF without attachments, or with unrelated ones, says what it carries", async () => {
    expect(await extractFacturXml(await facturXPdf([]))).toEqual({
      ok: false,
      problems: [
        {
          path: "",
          message:
            "the PDF carries no Factur-X/ZUGFeRD XML (embedded files: none) — expected one named factur-x.xml, zugferd-invoice.xml, xrechnung.xml",
        },
      ],
    });
    const unrelated = await facturXPdf([
      { name: "photo.png", content: new Uint8Array([137, 80, 78, 71]), mimeType: "image/png" },
      { name: "notes.xml", content: "<notes/>" },
    ]);
    const result = await extractFacturXml(unrelated);
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(
      /^the PDF carries no Factur-X\/ZUGFeRD XML \(embedded files: photo\.png, notes\.xml\)/,
    );
  });

  it("bytes that are not a PDF are refused as such", async () => {
    expect(await extractFacturXml(new TextEncoder().encode(cii))).toEqual({
      ok: false,
      problems: [
        {
          path: "",
          message: "not a PDF: the file does not start with %PDF- — send the PDF itself",
        },
      ],
    });
  });

  it("a truncated PDF is refused as damaged", async () => {
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: cii }]);
    const result = await extractFacturXml(pdf.subarray(0, Math.floor(pdf.length / 2)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/^the PDF is damaged: /);
  });

  it("an embedded file over the bound is refused, and so is one whose stream cannot be inflated", async () => {
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: cii }]);
    expect(await extractFacturXml(pdf, { maxXmlBytes: 1000 })).toEqual({
      ok: false,
      problems: [
        {
          path: "",
          message:
            "the embedded file factur-x.xml is over 1,000 bytes — too large for an invoice XML",
        },
      ],
    });
    // The embedded file's deflate data overwritten, same length, so the PDF itself still parses.
    const text = Buffer.from(pdf).toString("latin1");
    const start = text.indexOf("stream\n", text.indexOf("/Type /EmbeddedFile")) + "stream\n".length;
    const end = text.indexOf("endstream", start) - 1;
    expect(start).toBeGreaterThan(7);
    const garbled = text.slice(0, start) + "x".repeat(end - start) + text.slice(end);
    const result = await extractFacturXml(Buffer.from(garbled, "latin1"));
    expect(result.ok ? "" : result.problems[0]?.message).toMatch(
      /^the embedded file factur-x\.xml cannot be decoded: /,
    );
  });
});

describe("parseInvoicePdf", () => {
  it("reads the embedded CII as the XML import does, recording that it came from a PDF", async () => {
    const result = await parseInvoicePdf(
      await facturXPdf([{ name: "factur-x.xml", content: cii }]),
    );
    const direct = parseCii(cii);
    expect(result.ok && direct.ok).toBe(true);
    if (!result.ok || !direct.ok) return;
    expect(result.items).toEqual(
      direct.items.map((invoice) => ({
        ...invoice,
        source: { format: "facturx-pdf", profile: "EN 16931" },
      })),
    );
  });

  it("problems of the embedded XML are located inside it", async () => {
    const broken = cii.replace('<ram:BilledQuantity unitCode="C62">20</ram:BilledQuantity>', "");
    const result = await parseInvoicePdf(
      await facturXPdf([{ name: "factur-x.xml", content: broken }]),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: "factur-x.xml: /rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem[1]/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
          message: "is required",
        },
      ],
    });
  });

  it("is the format of application/pdf and of .pdf files", () => {
    expect(formatOf("application/pdf")).toBe("pdf");
    expect(formatOfFile("invoice.PDF")).toBe("pdf");
  });
});

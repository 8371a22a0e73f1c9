import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInvoicePdf } from "./index.js";
import { extractFacturXmlIsolated, pdfReadsInFlight } from "./pdf-limits.js";
import { facturXPdf } from "./testing/factur-x-pdf.js";
import { pdfBomb } from "./testing/pdf-bomb.js";

const cii = readFileSync(new URL("./fixtures/cii-en16931.xml", import.meta.url), "utf8");
const MB = 1024 * 1024;

/** Issue 13, item 8: pdf-lib inflates object streams before any size check. */
describe("a PDF is read in a worker within limits", () => {
  it("refuses a decompression bomb by naming the inflation limit, and the gateway's memory stays put", async () => {
    const bomb = await pdfBomb(384 * MB);
    expect(bomb.length).toBeLessThan(MB);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const result = await parseInvoicePdf(bomb);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.limit).toBe("inflated-bytes");
    expect(result.problems[0]?.message).toMatch(/inflate to more than 64 MB, the limit/);
    // Unbounded, pdf-lib would hold the 384 MB it inflates (and more while it grows its buffer).
    expect(peak - before).toBeLessThan(250 * MB);
  });

  it("refuses a PDF that takes longer than the time limit, naming it", async () => {
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: cii }]);
    const result = await parseInvoicePdf(pdf, {}, { timeoutMs: 1 });
    expect(result).toMatchObject({
      ok: false,
      limit: "time",
      problems: [{ message: expect.stringMatching(/took longer than 0.001 s, the limit/) }],
    });
  });

  it("still reads a real Factur-X invoice", async () => {
    const result = await parseInvoicePdf(
      await facturXPdf([{ name: "factur-x.xml", content: cii }]),
    );
    expect(result.ok).toBe(true);
  });

  it("reads PDFs sent at once one after the other, so their limits never add up", async () => {
    const pdf = await facturXPdf([{ name: "factur-x.xml", content: cii }]);
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, pdfReadsInFlight());
    }, 2);
    const results = await Promise.all([1, 2, 3].map(() => extractFacturXmlIsolated(pdf)));
    clearInterval(sampler);
    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    expect(most).toBe(1);
  });
});

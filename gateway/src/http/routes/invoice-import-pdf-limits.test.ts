import { afterEach, describe, expect, it } from "vitest";
import { pdfBomb } from "../../invoice-files/testing/pdf-bomb.js";
import { type ReconciliationSetup, reconciliationSetup } from "../../testing/gateway-app.js";

/** Issue 13, item 8, through the API: a PDF over a reading limit is a 413 naming the limit. */
let s: ReconciliationSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe("POST /invoices/import with a PDF bomb", () => {
  it("answers 413 naming the inflation limit, and imports nothing", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    const res = await s.call("POST", "/invoices/import", {
      raw: await pdfBomb(256 * 1024 * 1024),
      type: "application/pdf",
    });
    expect(res.status, res.text).toBe(413);
    expect(res.body.error).toMatchObject({ code: "pdf_limit", path: "inflated-bytes" });
    expect(res.body.error.message).toContain("inflate to more than 64 MB");
    expect((await s.call("GET", "/invoices")).body.invoices).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { importSitePerTest, invoiceFixture, paymentFixture } from "../../testing/file-import.js";

const site = importSitePerTest();

describe("POST /payments/import", () => {
  it("imports a bank export and applies each payment by the reference in its label", async () => {
    const s = await site();
    await s.call("POST", "/invoices/import", {
      raw: invoiceFixture("ubl-invoice.xml"),
      type: "application/xml",
    });
    await s.call("POST", "/invoices/import", {
      raw: invoiceFixture("cii-en16931.xml"),
      type: "application/xml",
    });
    const res = await s.call("POST", "/payments/import", {
      raw: paymentFixture("payments.csv"),
      type: "text/csv",
    });
    expect(res.status, res.text).toBe(201);
    expect(
      res.body.payments.map((p: { customer: string; applied: number; unapplied: number }) => [
        p.customer,
        p.applied,
        p.unapplied,
      ]),
    ).toEqual([
      ["acme", 13200, 0],
      ["bistro", 10000, 0],
    ]);
    const open = await s.call("GET", "/invoices?status=open");
    expect(open.body.invoices).toEqual([]);
  });

  it("?dryRun=true checks an export against the store and stores nothing", async () => {
    const s = await site();
    await s.call("POST", "/invoices/import", {
      raw: invoiceFixture("ubl-invoice.xml"),
      type: "application/xml",
    });
    const before = s.state();
    const checked = await s.call("POST", "/payments/import?dryRun=true", {
      raw: paymentFixture("payments.csv"),
      type: "text/csv",
    });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.body).toMatchObject({ dryRun: true, imported: 0 });
    expect(checked.body.payments).toHaveLength(2);
    expect(s.state()).toBe(before);
    const real = await s.call("POST", "/payments/import", {
      raw: paymentFixture("payments.csv"),
      type: "text/csv",
    });
    expect(real.status, real.text).toBe(201);
    // Recorded now: the same export again is refused whole, even as a dry run.
    const after = s.state();
    const again = await s.call("POST", "/payments/import?dryRun=true", {
      raw: paymentFixture("payments.csv"),
      type: "text/csv",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.problems).toHaveLength(2);
    expect(s.state()).toBe(after);
    const wrong = await s.call("POST", "/payments/import?dryRun=yes", {
      raw: paymentFixture("payments.csv"),
      type: "text/csv",
    });
    expect(wrong.status).toBe(400);
  });

  it("a bad export changes nothing and lists every bad row", async () => {
    const s = await site();
    const before = s.state();
    const res = await s.call("POST", "/payments/import", {
      raw: "date;amount;label\n2026-03-01;abc;x\n31/02/2026;10,00;y\n",
      type: "text/csv",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([
      "line 2, amount",
      "line 3, date",
    ]);
    expect(s.state()).toBe(before);
  });
});

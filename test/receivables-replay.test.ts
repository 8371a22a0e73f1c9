import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "./reconciliation-helpers.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

const invoice = (number: string, amount: number, issueDate: string, extra = {}) =>
  invoiceJson(number, "acme", [["WID", 1, amount]], {
    issueDate,
    dueDate: issueDate,
    ...extra,
  });

async function post(path: string, body: unknown, type?: string) {
  const res = await s.call(
    "POST",
    path,
    typeof body === "string" ? { raw: body, type: type ?? "text/csv" } : { body },
  );
  if (res.status !== 201) throw new Error(res.text);
  return res.body;
}

async function agedOn(asOf: string) {
  const res = await s.call("GET", `/receivables/aging?asOf=${asOf}`);
  expect(res.status, res.text).toBe(200);
  return {
    total: res.body.total,
    balance: res.body.balance,
    items: res.body.items.map((i: { document: string; open: number }) => [i.document, i.open]),
  };
}

/**
 * A bank export is booked the morning after, once that morning's invoices
 * are in: cash application may then give a payment's surplus to an invoice
 * issued after the payment's date. Replaying the day of the payment, that
 * invoice did not exist yet: the surplus was unapplied credit then.
 */
describe("aged balance replay when the bank comes in after newer invoices", () => {
  it("a payment's surplus applied to a later invoice counts as unapplied credit until that invoice's date", async () => {
    s = await reconciliationSetup("2026-03-11T09:00:00.000Z");
    await s.customer("acme");
    await post("/invoices", invoice("A1", 10000, "2026-03-01"));
    await post("/invoices", invoice("A2", 8000, "2026-03-11"));
    const paid = await post(
      "/payments/import",
      "id,date,amount,label,customer\nP1,2026-03-10,150.00,VIR ACME,acme",
    );
    // Oldest due first: A1 in full, the surplus to A2.
    expect(paid.payments[0]).toMatchObject({ applied: 15000, unapplied: 0 });

    expect(await agedOn("2026-03-10")).toEqual({
      total: -5000,
      balance: -5000,
      items: [["P1", -5000]],
    });
    expect(await agedOn("2026-03-11")).toEqual({
      total: 3000,
      balance: 3000,
      items: [["A2", 3000]],
    });
  });

  it("a credit note recorded before the invoice it names settles it from the invoice's date", async () => {
    s = await reconciliationSetup("2026-03-11T09:00:00.000Z");
    await s.customer("acme");
    await post("/invoices", {
      ...invoice("AV1", 2000, "2026-03-05"),
      type: "credit-note",
      precedingInvoice: "A1",
    });
    await post("/invoices", invoice("A1", 10000, "2026-03-08"));
    expect(await agedOn("2026-03-06")).toEqual({
      total: -2000,
      balance: -2000,
      items: [["AV1", -2000]],
    });
    expect(await agedOn("2026-03-08")).toEqual({
      total: 8000,
      balance: 8000,
      items: [["A1", 8000]],
    });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";

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

/**
 * An undone match never happened, for every as-of view and whatever the
 * as-of date: a date between the match and its undo shows the invoice open
 * and the payment unapplied, as any later date does. The ledger keeps both.
 */
describe("an undone match, replayed on a date before its undo", () => {
  it("is gone from the aged balance, dunning, payer profiles and DSO; the ledger keeps the match and the undo", async () => {
    s = await reconciliationSetup("2026-03-08T09:00:00.000Z");
    await s.customer("acme");
    await post("/invoices", invoice("A1", 10000, "2026-02-01", { dueDate: "2026-03-01" }));
    // D+7: the first reminder goes out for A1.
    const reminded = await s.call("POST", "/dunning/run", { body: { asOf: "2026-03-08" } });
    expect(reminded.status, reminded.text).toBe(200);
    expect(reminded.body.sent.map((l: { kind: string }) => l.kind)).toEqual(["reminder"]);

    s.clock.set("2026-03-12T09:00:00.000Z");
    const paid = await post("/payments", {
      id: "P1",
      date: "2026-03-12",
      amount: 9950,
      currency: "EUR",
      label: "VIR ACME A1",
      customer: "acme",
    });
    // 99.50 for A1 and its 0.50 residue written off, under one letter.
    expect(
      paid.allocations.map((a: { source: string; amount: number }) => [a.source, a.amount]),
    ).toEqual([
      ["payment", 9950],
      ["write-off", 50],
    ]);
    expect((await agedOn("2026-03-15")).total).toBe(0);

    s.clock.set("2026-04-05T09:00:00.000Z");
    const undo = await s.call("POST", `/allocations/${paid.letter}/undo`);
    expect(undo.status, undo.text).toBe(200);

    // Before the undo was done, as on any later day: A1 open, P1 unapplied, no write-off.
    for (const asOf of ["2026-03-12", "2026-03-15", "2026-04-05"]) {
      expect(await agedOn(asOf), asOf).toEqual({
        total: 50,
        balance: 50,
        items: [
          ["A1", 10000],
          ["P1", -9950],
        ],
      });
    }
    // A back-dated run thanks nobody: A1 is still open (its reminder already went out).
    const queue = await s.call("GET", "/dunning?asOf=2026-03-15");
    expect(queue.status, queue.text).toBe(200);
    expect(queue.body.letters).toEqual([]);
    const run = await s.call("POST", "/dunning/run", { body: { asOf: "2026-03-15" } });
    expect(run.body.sent).toEqual([]);
    expect(s.gatewayEntries("dunning.sent")).toHaveLength(1);
    // Nothing was paid, so no payer profile on any day.
    const payers = await s.call("GET", "/receivables/payers?asOf=2026-03-31");
    expect(payers.body.payers).toEqual([]);
    // March ends with the 0.50 still owed: the write-off was undone too.
    const dso = await s.call("GET", "/receivables/dso?period=2026-03");
    expect(dso.body.receivables).toBe(50);

    // Exposure is now: A1 open, P1 unapplied.
    const credit = await s.call("GET", "/credit/acme");
    expect(credit.status, credit.text).toBe(200);
    expect(credit.body.exposure.openInvoices.amount).toBe(10000);
    expect(credit.body.exposure.unappliedPayments.amount).toBe(-9950);

    // The ledger keeps both: the match as it was made, and its undo.
    expect(
      s.gatewayEntries("payment.recorded").map((e) => (e.data as { letter: string }).letter),
    ).toEqual([paid.letter]);
    expect(
      s.gatewayEntries("allocation.undone").map((e) => (e.data as { letter: string }).letter),
    ).toEqual([paid.letter]);
  });
});

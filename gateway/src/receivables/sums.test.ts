import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";

/**
 * Issue 13, item 14: money is integer minor units, exact up to 2^53 − 1;
 * a sum past that is refused rather than rounded. And two genuine
 * identical bank lines are two payments.
 */

let s: ReconciliationSetup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const HALF = 2 ** 52; // each amount is exact; two of them add up past 2^53 − 1

async function site() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
  return s;
}

const csv = (...lines: string[]) => ({ raw: lines.join("\n"), type: "text/csv" });

describe("sums past 2^53 are refused", () => {
  it("an invoice whose lines add up past 2^53 − 1 on the way is refused, naming the lines", async () => {
    const site_ = await site();
    // The exact sum is 2^52 + 1, but 2^52 + 1 + 2^52 is not a number JavaScript holds: it reads 2^53.
    const total = HALF + 1;
    const invoice = invoiceJson(
      "BIG-1",
      "acme",
      [
        ["WID", 1, HALF + 1],
        ["WID", 1, HALF],
        ["WID", -1, HALF],
      ],
      { netTotal: total, grossTotal: total, amountDue: total },
    );
    const res = await site_.call("POST", "/invoices/import", { body: [invoice] });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.problems).toContainEqual({
      path: "[0].lines",
      message: expect.stringContaining("add up to more than 9007199254740991 minor units"),
    });
    expect((await site_.call("GET", "/invoices")).body.invoices).toEqual([]);
  });

  it("a payment that takes the site's payments past 2^53 − 1 is refused, the first one kept", async () => {
    const site_ = await site();
    const pay = (id: string) => ({ id, date: "2026-03-10", amount: HALF, currency: "EUR" });
    const first = await site_.call("POST", "/payments/import", { body: [pay("P1")] });
    expect(first.status, first.text).toBe(201);
    const second = await site_.call("POST", "/payments/import", { body: [pay("P2")] });
    expect(second.status).toBe(422);
    expect(second.text).toContain("more than 9007199254740991 minor units");
    expect(
      (await site_.call("GET", "/payments")).body.payments.map((p: { id: string }) => p.id),
    ).toEqual(["P1"]);
  });
});

describe("bank lines without a transaction id", () => {
  it("two identical lines in one file are two payments, and importing the file again adds nothing", async () => {
    const site_ = await site();
    const file = csv(
      "date,amount,label,customer",
      "2026-03-10,50.00,VIR ACME,acme",
      "2026-03-10,50.00,VIR ACME,acme",
    );
    const res = await site_.call("POST", "/payments/import", file);
    expect(res.status, res.text).toBe(201);
    expect(res.body.imported).toBe(2);
    const again = await site_.call("POST", "/payments/import", file);
    expect(again.status).toBe(409);
    const payments = (await site_.call("GET", "/payments")).body.payments;
    expect(payments.map((p: { amount: number }) => p.amount)).toEqual([5000, 5000]);
  });

  it("the bank's transaction id, when the file has one, tells the lines apart", async () => {
    const site_ = await site();
    const res = await site_.call(
      "POST",
      "/payments/import",
      csv(
        "id,date,amount,label,customer",
        "TX-1,2026-03-10,50.00,VIR ACME,acme",
        "TX-2,2026-03-10,50.00,VIR ACME,acme",
      ),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.payments.map((p: { id: string }) => p.id)).toEqual(["TX-1", "TX-2"]);
  });
});

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
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

const invoice = (
  number: string,
  customer: string,
  amount: number,
  issueDate: string,
  dueDate: string,
  extra: Record<string, unknown> = {},
) => invoiceJson(number, customer, [["WID", 1, amount]], { issueDate, dueDate, ...extra });

async function importInvoices(body: unknown[]) {
  const res = await s.call("POST", "/invoices/import", { body });
  if (res.status !== 201) throw new Error(res.text);
}
async function importPayments(csv: string) {
  const res = await s.call("POST", "/payments/import", { raw: csv, type: "text/csv" });
  if (res.status !== 201) throw new Error(res.text);
  return res.body;
}

/**
 * Receivables on 2026-03-20, with the balance worked out by hand:
 * invoices A1 100.00 + A2 250.00 + A3 300.00 (two instalments) + B1 80.00 + B2 60.00 = 790.00,
 * less credit note AV1 20.00, payments 99.50 + 100.00, the 0.50 written off on A1: 570.00.
 */
async function receivablesSite() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
  await s.customer("bistro");
  await importInvoices([
    invoice("A1", "acme", 10000, "2026-01-05", "2026-02-04"),
    invoice("A2", "acme", 25000, "2026-02-01", "2026-03-03"),
    invoice("A3", "acme", 30000, "2026-01-15", "2026-02-15", {
      instalments: [
        { dueDate: "2026-02-15", amount: 15000 },
        { dueDate: "2026-04-15", amount: 15000 },
      ],
    }),
    invoice("B1", "bistro", 8000, "2026-03-01", "2026-03-31"),
    {
      ...invoice("AV1", "acme", 2000, "2026-02-10", "2026-02-10"),
      type: "credit-note",
      precedingInvoice: "A2",
    },
  ]);
  const payments = await importPayments(
    [
      "id,date,amount,label,customer",
      "P1,2026-02-10,99.50,VIR ACME A1,acme",
      "P2,2026-03-05,100.00,VIR BISTRO B1,bistro",
    ].join("\n"),
  );
  // B2 comes after P2: the 20.00 P2 left over stays unapplied (an unmatched receipt).
  await importInvoices([invoice("B2", "bistro", 6000, "2026-01-10", "2026-02-09")]);
  return payments;
}

describe("aged balance", () => {
  it("buckets by due date, instalments apart, unapplied payments negative; the total is the balance to the cent", async () => {
    const payments = await receivablesSite();
    expect(
      payments.payments.map((p: { id: string; applied: number; unapplied: number }) => [
        p.id,
        p.applied,
        p.unapplied,
      ]),
    ).toEqual([
      ["P1", 9950, 0],
      ["P2", 8000, 2000],
    ]);
    const res = await s.call("GET", "/receivables/aging?asOf=2026-03-20");
    expect(res.status, res.text).toBe(200);
    expect(res.body.customers).toEqual([
      {
        customer: "acme",
        buckets: {
          current: 15000,
          "1-30": 23000,
          "31-60": 15000,
          "61-90": 0,
          "91-120": 0,
          "over-120": 0,
        },
        unapplied: 0,
        total: 53000,
      },
      {
        customer: "bistro",
        buckets: {
          current: 0,
          "1-30": 0,
          "31-60": 6000,
          "61-90": 0,
          "91-120": 0,
          "over-120": 0,
        },
        // P2's 20.00 left over: its own column, not netted into 1-30.
        unapplied: -2000,
        total: 4000,
      },
    ]);
    expect(res.body.unapplied).toBe(-2000);
    expect(res.body.total).toBe(79000 - 2000 - 9950 - 10000 - 50);
    expect(res.body.balance).toBe(res.body.total);
    const a3 = res.body.items.filter((item: { document: string }) => item.document === "A3");
    expect(
      a3.map((item: { part: number; bucket: string; open: number }) => [
        item.part,
        item.bucket,
        item.open,
      ]),
    ).toEqual([
      [1, "31-60", 15000],
      [2, "current", 15000],
    ]);
  });

  it("replays a past date: before the payment and the credit note, as it stood then", async () => {
    await receivablesSite();
    const res = await s.call("GET", "/receivables/aging?asOf=2026-02-09");
    expect(res.body.customers).toEqual([
      {
        customer: "acme",
        buckets: {
          current: 55000,
          "1-30": 10000,
          "31-60": 0,
          "61-90": 0,
          "91-120": 0,
          "over-120": 0,
        },
        unapplied: 0,
        total: 65000,
      },
      {
        customer: "bistro",
        buckets: { current: 6000, "1-30": 0, "31-60": 0, "61-90": 0, "91-120": 0, "over-120": 0 },
        unapplied: 0,
        total: 6000,
      },
    ]);
    expect(res.body.balance).toBe(71000);
  });

  it("by invoice date, and as CSV with a total line", async () => {
    await receivablesSite();
    const byInvoice = await s.call(
      "GET",
      "/receivables/aging?asOf=2026-03-20&basis=invoice&customer=acme",
    );
    expect(byInvoice.body.buckets).toEqual({
      current: 0,
      "1-30": 0,
      "31-60": 23000,
      "61-90": 30000,
      "91-120": 0,
      "over-120": 0,
    });
    const csv = await s.call("GET", "/receivables/aging?asOf=2026-03-20&format=csv");
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split("\r\n")).toEqual([
      "customer,current,1-30,31-60,61-90,91-120,over-120,unapplied,total,currency,as_of,basis",
      "acme,150.00,230.00,150.00,0.00,0.00,0.00,0.00,530.00,EUR,2026-03-20,due",
      "bistro,0.00,0.00,60.00,0.00,0.00,0.00,-20.00,40.00,EUR,2026-03-20,due",
      "TOTAL,150.00,230.00,210.00,0.00,0.00,0.00,-20.00,570.00,EUR,2026-03-20,due",
      "",
    ]);
  });

  it("refuses a bad date", async () => {
    await receivablesSite();
    const res = await s.call("GET", "/receivables/aging?asOf=2026-02-30");
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe("asOf");
  });
});

describe("DSO", () => {
  it("the worked example of the rules: receivables 20 000, April sales 12 500, March 10 000 → countback 53.25", async () => {
    s = await reconciliationSetup("2026-05-02T12:00:00.000Z");
    await s.customer("acme");
    await importInvoices([
      invoice("M1", "acme", 1_000_000, "2026-03-10", "2026-04-09"),
      invoice("M2", "acme", 1_250_000, "2026-04-10", "2026-05-10"),
    ]);
    await importPayments("id,date,amount,label,customer\nP1,2026-04-20,2500.00,partial,acme");
    const res = await s.call("GET", "/receivables/dso?period=2026-04");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      period: "2026-04",
      days: 30,
      receivables: 2_000_000,
      sales: 1_250_000,
      accounting: 48,
      countback: 53.25,
      countbackExhausted: true,
    });
    const previous = await s.call("GET", "/receivables/dso");
    expect(previous.body.period).toBe("2026-04");
  });
});

describe("dunning", () => {
  it("one letter per customer at the highest level, held when a receipt is unmatched; a run sends to the outbox and records it", async () => {
    await receivablesSite();
    const queue = await s.call("GET", "/dunning?asOf=2026-03-20");
    expect(queue.status, queue.text).toBe(200);
    const letters = queue.body.letters.map((l: Record<string, unknown>) => [
      l.customer,
      l.levelName,
      l.status,
      l.fee,
      l.blockCredit,
    ]);
    expect(letters).toEqual([
      ["acme", "final", "due", 0, true],
      ["bistro", "final", "held", 0, true],
    ]);
    expect(
      queue.body.letters[0].items.map(
        (i: { document: string; part?: number; daysPastDue: number }) => [
          i.document,
          i.part ?? null,
          i.daysPastDue,
        ],
      ),
    ).toEqual([
      ["A3", 1, 33],
      ["A2", null, 17],
    ]);
    const csv = await s.call("GET", "/dunning?asOf=2026-03-20&format=csv");
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(1 + 2 + 1);

    const run = await s.call("POST", "/dunning/run", { body: { asOf: "2026-03-20" } });
    expect(run.status, run.text).toBe(200);
    expect(run.body.sent.map((l: { customer: string }) => l.customer)).toEqual(["acme"]);
    expect(run.body.held.map((l: { customer: string }) => l.customer)).toEqual(["bistro"]);
    const outbox = join(s.dir, "outbox", "dunning");
    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    const letter = JSON.parse(await readFile(join(outbox, files[0] as string), "utf8"));
    expect(letter).toMatchObject({
      customer: "acme",
      levelName: "final",
      total: 23000 + 15000,
      blockCredit: true,
    });
    expect(
      s
        .gatewayEntries("dunning.sent")
        .map((entry) => (entry.data as { customer: string }).customer),
    ).toEqual(["acme"]);

    const again = await s.call("POST", "/dunning/run", { body: { asOf: "2026-03-20" } });
    expect(again.body.sent).toEqual([]);
    const after = await s.call("GET", "/dunning?asOf=2026-03-20");
    expect(after.body.letters.map((l: { customer: string }) => l.customer)).toEqual(["bistro"]);
    expect(after.body.blockedCustomers).toEqual(["acme"]);
    // The final notice puts acme's credit on hold: cash only, at the gateway and in its snapshot.
    const held = await s.call("GET", "/credit/acme");
    expect(held.body.status).toBe("on-hold");
    const check = await s.call("POST", "/credit/check", {
      body: { customer: "acme", amount: 100 },
    });
    expect(check.body).toMatchObject({ decision: "block" });
    expect(check.body.reasons.map((r: { code: string }) => r.code)).toContain("on-hold");

    // acme pays everything the next day: one thank-you, which lifts the block once sent.
    s.clock.set("2026-03-21T12:00:00.000Z");
    await importPayments("id,date,amount,label,customer\nP4,2026-03-21,530.00,solde,acme");
    const thanks = await s.call("GET", "/dunning?asOf=2026-03-21");
    expect(
      thanks.body.letters.map((l: { customer: string; kind: string }) => [l.customer, l.kind]),
    ).toEqual([
      ["bistro", "reminder"],
      ["acme", "thank-you"],
    ]);
    const sent = await s.call("POST", "/dunning/run", { body: { asOf: "2026-03-21" } });
    expect(
      sent.body.sent.map((l: { customer: string; kind: string }) => [l.customer, l.kind]),
    ).toEqual([["acme", "thank-you"]]);
    const lifted = await s.call("GET", "/dunning?asOf=2026-03-21");
    expect(lifted.body.blockedCustomers).toEqual([]);
    expect((await s.call("GET", "/credit/acme")).body.status).not.toBe("on-hold");
    expect(lifted.body.letters.map((l: { customer: string }) => l.customer)).toEqual(["bistro"]);
  });

  it("levels are configurable per site, and a bad configuration changes nothing", async () => {
    await receivablesSite();
    const bad = await s.call("PUT", "/dunning/config", {
      body: {
        levels: [
          { level: 0, name: "late", days: 30 },
          { level: 1, name: "early", days: 7 },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const put = await s.call("PUT", "/dunning/config", {
      body: { levels: [{ level: 1, name: "only", days: 35, fee: 1500 }] },
    });
    expect(put.status, put.text).toBe(200);
    // D+35 only: bistro's B2 (D+39) is reminded, acme's oldest (D+33) not yet.
    const queue = await s.call("GET", "/dunning?asOf=2026-03-20");
    expect(
      queue.body.letters.map((l: { customer: string; levelName: string; fee: number }) => [
        l.customer,
        l.levelName,
        l.fee,
      ]),
    ).toEqual([["bistro", "only", 1500]]);
    expect(s.gatewayEntries("dunning.configured")).toHaveLength(1);
  });
});

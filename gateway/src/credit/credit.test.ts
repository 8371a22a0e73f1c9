import {
  CreditSnapshotSchema,
  decideCredit,
  generateIdentity,
  type LedgerEntry,
} from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { reconciliationPerTest } from "../testing/gateway-app.js";

/** 2026-03-02, 10:00 UTC: "today" for due dates below. */
const T0 = "2026-03-02T10:00:00.000Z";
const setup = reconciliationPerTest(T0);

type Setup = Awaited<ReturnType<typeof setup>>;

async function customer(s: Setup, id: string, creditLimit: number | "unlimited", terms = 30) {
  const res = await s.call("POST", "/customers", {
    body: {
      id,
      name: `Client ${id}`,
      creditLimit:
        creditLimit === "unlimited" ? creditLimit : { amount: creditLimit, currency: "EUR" },
      paymentTermsDays: terms,
    },
  });
  expect(res.status).toBe(201);
}

async function product(s: Setup, sku: string, price: number) {
  const res = await s.call("POST", "/products", {
    body: {
      sku,
      name: `Product ${sku}`,
      unitPrice: { amount: price, currency: "EUR" },
      unitCost: { amount: Math.floor(price / 2), currency: "EUR" },
    },
  });
  expect(res.status).toBe(201);
}

function invoiceBody(
  number: string,
  customerId: string,
  amount: number,
  dates: { issue?: string; due?: string } = {},
  extra: Record<string, unknown> = {},
) {
  return {
    number,
    direction: "customer",
    type: "invoice",
    issueDate: dates.issue ?? "2026-02-20",
    ...(dates.due ? { dueDate: dates.due } : {}),
    currency: "EUR",
    customer: customerId,
    lines: [{ id: "1", sku: "SKU-1", quantity: 1, unitPrice: amount, netAmount: amount }],
    netTotal: amount,
    vatTotal: 0,
    grossTotal: amount,
    amountDue: amount,
    ...extra,
  };
}

async function invoice(s: Setup, ...args: Parameters<typeof invoiceBody>) {
  const res = await s.call("POST", "/invoices", { body: invoiceBody(...args) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A node's chain, entry by entry, stored as ingest would store it. */
function nodeChain(s: Setup, node: string) {
  s.store.enrollNode(node, generateIdentity().publicKeyHex);
  const sealer = chainSealer(node);
  let tag = 0;
  const pending: LedgerEntry[] = [];
  const ts = (seq: number) => new Date(Date.parse(T0) - 3600_000 + seq * 1000).toISOString();
  const push = (type: string, data: unknown) => pending.push(sealer.seal(type, data, ts));
  return {
    ship(customerId: string, sku: string, count: number, order?: string) {
      for (let i = 0; i < count; i++) {
        tag++;
        push("movement", {
          epc: `3034257BF7194E40${node.length.toString(16)}${tag.toString(16).toUpperCase().padStart(7, "0")}`,
          sku,
          kind: "ship",
          from: "dock",
          to: null,
          reader: "r1",
          antennas: [1],
          reads: 2,
          at: "2026-03-01T08:00:00.000Z",
          customer: customerId,
          ...(order ? { order } : {}),
        });
      }
    },
    sale(id: string, customerId: string, total: number, at = "2026-03-02T09:30:00.000Z") {
      push("sale", {
        id,
        payment: "account",
        customer: customerId,
        clerk: "alice",
        currency: "EUR",
        lines: [
          { sku: "SKU-1", name: "x", epcs: [], quantity: 1, unitPrice: total, lineTotal: total },
        ],
        total,
        at,
      });
    },
    /** Stores what was pushed since the last sync, like one ingested batch. */
    sync() {
      s.store.appendEntries(node, pending.splice(0));
    },
  };
}

/** S1: limit 5 000.00, open invoices 3 800.00, shipped not invoiced 400.00. */
async function s1(s: Setup) {
  await customer(s, "C1", 500000);
  await product(s, "SKU-1", 10000);
  await invoice(s, "F-100", "C1", 380000, { issue: "2026-02-20", due: "2026-03-22" });
  const dock = nodeChain(s, "dock-1");
  dock.ship("C1", "SKU-1", 4);
  dock.sync();
}

describe("gateway credit: the shared example S1", () => {
  it("itemises the exposure and decides 900.00 blocked, 800.00 approved with 0.00 left, 800.01 blocked", async () => {
    const s = await setup();
    await s1(s);
    const statement = await s.call("GET", "/credit/C1", { role: "viewer" });
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({
      limit: 500000,
      unlimited: false,
      available: 80000,
      status: "ok",
      exposure: {
        total: 420000,
        openInvoices: {
          amount: 380000,
          documents: [{ kind: "invoice", id: "F-100", amount: 380000 }],
        },
        unappliedPayments: { amount: 0, documents: [] },
        shippedNotInvoiced: {
          amount: 40000,
          documents: [{ kind: "shipment", id: "(no order)", detail: { items: 4 } }],
        },
        counterSales: { amount: 0 },
      },
    });

    const blocked = await s.call("POST", "/credit/check", {
      role: "counter",
      body: { customer: "C1", amount: 90000 },
    });
    expect(blocked.status).toBe(200);
    expect(blocked.body.decision).toBe("block");
    expect(blocked.body.reasons).toEqual([
      { code: "over-limit", message: "exposure €5,100.00 > limit €5,000.00; available €800.00" },
    ]);
    const exact = await s.call("POST", "/credit/check", {
      role: "counter",
      body: { customer: "C1", amount: 80000 },
    });
    expect(exact.body).toMatchObject({
      decision: "approve",
      figures: { availableAfter: 0, exposure: 420000 },
    });
    const cent = await s.call("POST", "/credit/check", {
      role: "counter",
      body: { customer: "C1", amount: 80001 },
    });
    expect(cent.body.decision).toBe("block");

    // Every decision is in the gateway ledger, with the token that asked.
    const checks = s.gatewayEntries("credit.checked");
    expect(checks.map((entry) => (entry.data as { decision: string }).decision)).toEqual([
      "block",
      "approve",
      "block",
    ]);
    expect(checks[0]?.data).toMatchObject({
      by: { kind: "token", id: s.tokenId.counter },
      amount: 90000,
    });
  });

  it("an invoice for the shipped order takes it out of shipped-not-invoiced", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    await product(s, "SKU-1", 10000);
    const dock = nodeChain(s, "dock-1");
    dock.ship("C1", "SKU-1", 3, "SO-7");
    dock.sync();
    expect((await s.call("GET", "/credit/C1")).body.exposure.shippedNotInvoiced.amount).toBe(30000);
    // The invoice bills the 3 items shipped (shipped-not-invoiced is per order and product: an
    // invoice billing fewer would leave the rest in it, at the invoice's price).
    await invoice(
      s,
      "F-7",
      "C1",
      36000,
      {},
      {
        orderRef: "SO-7",
        lines: [{ id: "1", sku: "SKU-1", quantity: 3, unitPrice: 10000, netAmount: 30000 }],
        netTotal: 30000,
        vatTotal: 6000,
      },
    );
    const after = (await s.call("GET", "/credit/C1")).body.exposure;
    expect(after.shippedNotInvoiced.amount).toBe(0);
    expect(after.total).toBe(36000);
  });

  it("S4 offline: the snapshot the gateway publishes decides 600.00 blocked and 150.00 approved at the counter", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    await invoice(s, "F-1", "C1", 420000, { due: "2026-03-30" });
    s.clock.set("2026-03-02T09:12:00.000Z");
    const snapshot = CreditSnapshotSchema.parse(await s.credit.snapshots.publishCustomer("C1"));
    expect(snapshot).toMatchObject({
      outstanding: 420000,
      limit: 500000,
      asOf: "2026-03-02T09:12:00.000Z",
    });
    const policy = snapshot.policy ?? s.credit.policy;
    const atCounter = (amount: number) =>
      decideCredit({
        snapshot,
        pendingOwnSales: 30000,
        amount,
        policy,
        now: new Date("2026-03-02T10:00:00.000Z"),
        offline: true,
      });
    expect(atCounter(60000).decision).toBe("block");
    expect(atCounter(60000).reasons.map((reason) => reason.code)).toContain("offline-cap");
    expect(atCounter(15000).decision).toBe("approve");
  });
});

describe("gateway credit: limits and the overdue rule", () => {
  it("limit 0 is no credit; unlimited approves; unknown customers are 404", async () => {
    const s = await setup();
    await customer(s, "ZERO", 0);
    await customer(s, "BIG", "unlimited");
    const zero = await s.call("POST", "/credit/check", { body: { customer: "ZERO", amount: 1 } });
    expect(zero.body).toMatchObject({ decision: "block", reasons: [{ code: "no-credit" }] });
    const big = await s.call("POST", "/credit/check", {
      body: { customer: "BIG", amount: 99_999_999_999 },
    });
    expect(big.body).toMatchObject({
      decision: "approve",
      reasons: [{ code: "unlimited" }],
      figures: { limit: null },
    });
    expect((await s.call("GET", "/credit/BIG")).body).toMatchObject({
      unlimited: true,
      available: null,
    });
    const unknown = await s.call("POST", "/credit/check", {
      body: { customer: "NOPE", amount: 1 },
    });
    expect(unknown.status).toBe(404);
    expect((await s.call("GET", "/credit/NOPE")).status).toBe(404);
  });

  it("blocks more than 50.00 overdue for more than 30 days; the floor itself does not block", async () => {
    const s = await setup();
    await customer(s, "LATE", 1_000_000);
    await customer(s, "FLOOR", 1_000_000);
    // Due 2026-01-31: on 2026-03-02 that is 30 days, not yet more than 30.
    await invoice(s, "L-1", "LATE", 5001, { issue: "2026-01-01", due: "2026-01-31" });
    await invoice(s, "FL-1", "FLOOR", 5000, { issue: "2025-12-01", due: "2025-12-31" });
    const check = (id: string) =>
      s.call("POST", "/credit/check", { role: "counter", body: { customer: id, amount: 100 } });
    expect((await check("LATE")).body.decision).toBe("approve");
    const statement = (await s.call("GET", "/credit/LATE")).body;
    expect(statement.overdue).toMatchObject({
      amount: 5001,
      since: "2026-01-31",
      items: [{ invoice: "L-1", daysOverdue: 30 }],
    });

    s.clock.set("2026-03-03T08:00:00.000Z");
    const late = (await check("LATE")).body;
    expect(late.decision).toBe("block");
    expect(late.reasons[0].code).toBe("overdue");
    expect((await s.call("GET", "/credit/LATE")).body.status).toBe("blocked");
    expect((await check("FLOOR")).body.decision).toBe("approve");

    // A payment of part of it brings the overdue amount to the floor: no longer blocked.
    await s.call("POST", "/payments", {
      body: {
        id: "P-1",
        date: "2026-03-03",
        amount: 1,
        currency: "EUR",
        customer: "LATE",
        label: "",
      },
    });
    expect((await check("LATE")).body.decision).toBe("approve");
  });

  it("refuses negative, zero, decimal, absurd and non-numeric amounts with a clear error, changing nothing", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    const before = s.state();
    for (const amount of [-1, 0, 10.5, 1e20, "100", null]) {
      const res = await s.call("POST", "/credit/check", {
        role: "counter",
        body: { customer: "C1", amount },
      });
      expect(res.status, String(amount)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.path).toBe("amount");
    }
    const extra = await s.call("POST", "/credit/check", {
      body: { customer: "C1", amount: 1, x: 1 },
    });
    expect(extra.status).toBe(400);
    expect(s.state()).toBe(before);
  });

  it("counter tokens may check and read credit but not record invoices; viewers may not check", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    const before = s.state();
    expect(
      (await s.call("POST", "/invoices", { role: "counter", body: invoiceBody("X-1", "C1", 100) }))
        .status,
    ).toBe(403);
    expect(
      (
        await s.call("POST", "/credit/check", {
          role: "viewer",
          body: { customer: "C1", amount: 1 },
        })
      ).status,
    ).toBe(403);
    expect((await s.call("POST", "/payments", { role: "warehouse", body: {} })).status).toBe(403);
    expect(s.state()).toBe(before);
    expect((await s.call("GET", "/credit/C1", { role: "counter" })).status).toBe(200);
  });
});

describe("gateway credit: invoices", () => {
  it("ages each instalment on its own, and refuses an update that would undo what was matched", async () => {
    const s = await setup();
    await customer(s, "C1", 1_000_000);
    await invoice(
      s,
      "F-1",
      "C1",
      30000,
      { issue: "2026-01-01" },
      {
        instalments: [
          { dueDate: "2026-01-15", amount: 10000 },
          { dueDate: "2026-04-15", amount: 20000 },
        ],
      },
    );
    const listed = (await s.call("GET", "/invoices?status=overdue")).body.invoices;
    expect(listed).toMatchObject([{ number: "F-1", openBalance: 30000, overdue: 10000 }]);
    expect((await s.call("GET", "/credit/C1")).body.overdue).toMatchObject({
      amount: 10000,
      since: "2026-01-15",
      items: [{ invoice: "F-1", part: 1, open: 10000, daysOverdue: 46 }],
    });
    // Paying 120.00 settles the first instalment and 20.00 of the second: nothing overdue.
    await s.call("POST", "/payments", {
      body: { id: "P-1", date: "2026-03-01", amount: 12000, currency: "EUR", customer: "C1" },
    });
    expect((await s.call("GET", "/invoices?status=overdue")).body.invoices).toEqual([]);
    expect((await s.call("GET", "/credit/C1")).body.overdue.items).toEqual([]);

    const before = s.state();
    const shrink = await s.call("POST", "/invoices?update=true", {
      body: invoiceBody("F-1", "C1", 10000, { issue: "2026-01-01" }),
    });
    expect(shrink.status).toBe(422);
    expect(shrink.body.error).toMatchObject({ code: "rule_refused", path: "amountDue" });
    expect(s.state()).toBe(before);
  });

  it("the same number again is a 409 that changes nothing; ?update=true replaces it with its own entry", async () => {
    const s = await setup();
    await customer(s, "C1", 500000, 45);
    const first = await invoice(s, "F-1", "C1", 10000, { issue: "2026-02-01" });
    // No due date given: the customer's 45 days of terms.
    expect(first.invoice).toMatchObject({
      dueDate: "2026-03-18",
      openBalance: 10000,
      status: "open",
      revision: 1,
    });
    const before = s.state();
    const again = await s.call("POST", "/invoices", { body: invoiceBody("F-1", "C1", 12000) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", path: "number" });
    expect(again.body.error.message).toContain("?update=true");
    expect(s.state()).toBe(before);

    const updated = await s.call("POST", "/invoices?update=true", {
      body: invoiceBody("F-1", "C1", 12000, { issue: "2026-02-01" }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.invoice).toMatchObject({
      amountDue: 12000,
      openBalance: 12000,
      revision: 2,
    });
    expect(s.gatewayEntries("invoice.updated")).toHaveLength(1);
    expect(s.gatewayEntries("invoice.recorded")[0]?.data).toMatchObject({
      by: { kind: "token", id: s.tokenId.accounting },
    });
    const missing = await s.call("POST", "/invoices?update=true", {
      body: invoiceBody("F-9", "C1", 1),
    });
    expect(missing.status).toBe(409);
  });

  it("bad bodies get every problem listed and change nothing", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    const before = s.state();
    const decimal = await s.call("POST", "/invoices", { body: invoiceBody("F-1", "C1", 100.5) });
    expect(decimal.status).toBe(400);
    expect(decimal.body.error.message).toContain("integer of minor units");
    const noCustomer = await s.call("POST", "/invoices", {
      body: { ...invoiceBody("F-2", "C1", 100), customer: undefined },
    });
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.body.error.problems.map((p: { path: string }) => p.path)).toContain(
      "customer",
    );
    const unknown = await s.call("POST", "/invoices", { body: invoiceBody("F-3", "GHOST", 100) });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.path).toBe("customer");
    const usd = await s.call("POST", "/invoices", {
      body: { ...invoiceBody("F-4", "C1", 100), currency: "USD" },
    });
    expect(usd.status).toBe(422);
    const instalments = await s.call("POST", "/invoices", {
      body: invoiceBody(
        "F-5",
        "C1",
        100,
        {},
        { instalments: [{ dueDate: "2026-04-01", amount: 99 }] },
      ),
    });
    expect(instalments.status).toBe(400);
    expect((await s.call("POST", "/invoices", { raw: "{not json" })).status).toBe(400);
    expect(s.state()).toBe(before);
  });

  it("a credit note reduces the balance of the invoice it names; the rest is unapplied credit", async () => {
    const s = await setup();
    await customer(s, "C1", 500000);
    await invoice(s, "F-1", "C1", 10000);
    const note = await s.call("POST", "/invoices", {
      body: invoiceBody("AV-1", "C1", 12000, {}, { type: "credit-note", precedingInvoice: "F-1" }),
    });
    expect(note.status).toBe(201);
    expect(note.body.allocations).toMatchObject([
      { source: "credit-note", invoice: "F-1", amount: 10000, rule: "credit-note" },
    ]);
    const list = (await s.call("GET", "/invoices?customer=C1", { role: "viewer" })).body.invoices;
    expect(list.find((i: { number: string }) => i.number === "F-1")).toMatchObject({
      openBalance: 0,
      status: "paid",
    });
    expect(list.find((i: { number: string }) => i.number === "AV-1")).toMatchObject({
      openBalance: 2000,
    });
    const exposure = (await s.call("GET", "/credit/C1")).body.exposure;
    expect(exposure.unappliedPayments).toMatchObject({
      amount: -2000,
      documents: [{ kind: "credit-note", id: "AV-1" }],
    });
    expect(exposure.total).toBe(-2000);

    // A credit note that arrives before its invoice is applied when the invoice comes.
    const early = await s.call("POST", "/invoices", {
      body: invoiceBody("AV-2", "C1", 3000, {}, { type: "credit-note", precedingInvoice: "F-2" }),
    });
    expect(early.body.allocations).toEqual([]);
    const late = await s.call("POST", "/invoices", { body: invoiceBody("F-2", "C1", 5000) });
    expect(late.body.allocations).toMatchObject([
      { source: "credit-note", sourceId: "AV-2", invoice: "F-2", amount: 3000 },
    ]);
    expect(late.body.invoice.openBalance).toBe(2000);
    expect(
      (await s.call("GET", "/invoices?customer=C1&status=open")).body.invoices.map(
        (i: { number: string }) => i.number,
      ),
    ).toEqual(["F-2", "AV-1"]);
  });

  it("keeps supplier invoices apart, with their lines, out of any customer's exposure", async () => {
    const supplierInvoice = (number: string, supplier: string) => ({
      ...invoiceBody(number, "C1", 5000),
      direction: "supplier",
      customer: undefined,
      supplier,
    });
    const s = await setup();
    const res = await s.call("POST", "/invoices", { body: supplierInvoice("S-1", "Acme") });
    expect(res.status).toBe(201);
    expect(
      s.store.db.prepare("SELECT sku, quantity FROM invoice_lines WHERE number = 'S-1'").all(),
    ).toEqual([{ sku: "SKU-1", quantity: 1 }]);
    expect((await s.call("GET", "/invoices?direction=supplier")).body.invoices).toHaveLength(1);
    // The same number from another supplier is another invoice.
    const other = await s.call("POST", "/invoices", { body: supplierInvoice("S-1", "Beta") });
    expect(other.status).toBe(201);
  });
});

describe("gateway credit: cash application", () => {
  async function three(s: Setup) {
    await customer(s, "C1", 1_000_000);
    await invoice(s, "F-1", "C1", 10000, { issue: "2026-01-01", due: "2026-01-10" });
    await invoice(s, "F-2", "C1", 20000, { issue: "2026-01-05", due: "2026-01-20" });
    await invoice(s, "F-3", "C1", 30000, { issue: "2026-01-10", due: "2026-02-01" });
  }
  const pay = (
    s: Setup,
    id: string,
    amount: number,
    label = "",
    extra: Record<string, unknown> = {},
  ) =>
    s.call("POST", "/payments", {
      body: { id, date: "2026-03-01", amount, currency: "EUR", customer: "C1", label, ...extra },
    });

  it("pays the invoice named in the label first, then the oldest due", async () => {
    const s = await setup();
    await three(s);
    const named = await pay(s, "P-1", 35000, "VIR SEPA REGLEMENT FACT F-3");
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({
      customer: "C1",
      letter: "A",
      unapplied: 0,
      allocations: [
        {
          invoice: "F-3",
          amount: 30000,
          rule: "label-reference",
          source: "payment",
          by: { kind: "token", id: s.tokenId.accounting },
        },
        { invoice: "F-1", amount: 5000, rule: "oldest-due", letter: "A" },
      ],
    });
    const entry = s.gatewayEntries("payment.recorded")[0];
    expect(entry?.data).toMatchObject({
      letter: "A",
      unapplied: 0,
      by: { id: s.tokenId.accounting },
    });
    const open = (await s.call("GET", "/invoices?customer=C1&status=open")).body.invoices;
    expect(
      open.map((i: { number: string; openBalance: number }) => [i.number, i.openBalance]),
    ).toEqual([
      ["F-2", 20000],
      ["F-1", 5000],
    ]);
  });

  it("a little over the named invoice pays the oldest due with the rest while one is open, rather than writing it off", async () => {
    const s = await setup();
    await three(s);
    const over = await pay(s, "P-1", 30080, "FACT F-3");
    expect(over.body).toMatchObject({ unapplied: 0 });
    expect(over.body.allocations).toMatchObject([
      { invoice: "F-3", amount: 30000, rule: "label-reference" },
      { invoice: "F-1", amount: 80, rule: "oldest-due" },
    ]);
  });

  it("undoes a match: the invoices reopen, the payment is unapplied again, and the undo is an entry of its own", async () => {
    const s = await setup();
    await three(s);
    await pay(s, "P-1", 35000, "VIR SEPA REGLEMENT FACT F-3");
    const before = (await s.call("GET", "/credit/C1")).body.exposure.total;

    const undo = await s.call("POST", "/allocations/A/undo");
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ letter: "A", customers: ["C1"] });
    expect(undo.body.undone).toHaveLength(2);
    const open = (await s.call("GET", "/invoices?customer=C1&status=open")).body.invoices;
    expect(
      open.map((i: { number: string; openBalance: number }) => [i.number, i.openBalance]),
    ).toEqual([
      ["F-3", 30000],
      ["F-2", 20000],
      ["F-1", 10000],
    ]);
    const unapplied = (await s.call("GET", "/payments?customer=C1")).body.unapplied;
    expect(unapplied).toMatchObject([{ kind: "payment", id: "P-1", amount: 35000 }]);
    // Exposure is unchanged: what the invoices owe again, the unapplied payment takes off.
    expect((await s.call("GET", "/credit/C1")).body.exposure.total).toBe(before);
    expect(s.gatewayEntries("allocation.undone")[0]?.data).toMatchObject({
      letter: "A",
      customers: ["C1"],
      by: { id: s.tokenId.accounting },
    });

    const state = s.state();
    expect((await s.call("POST", "/allocations/A/undo")).status).toBe(409);
    expect((await s.call("POST", "/allocations/Q/undo")).status).toBe(404);
    expect((await s.call("POST", "/allocations/a1/undo")).status).toBe(400);
    expect(s.state()).toBe(state);
  });

  it("writes off a difference within 1.00 with the rule recorded, and keeps the rest as unapplied credit", async () => {
    const s = await setup();
    await three(s);
    const short = await pay(s, "P-1", 9950, "F-1");
    expect(short.body.allocations).toMatchObject([
      { invoice: "F-1", amount: 9950, rule: "label-reference", source: "payment" },
      { invoice: "F-1", amount: 50, rule: "tolerance-underpayment", source: "write-off" },
    ]);
    const exact = await pay(s, "P-2", 50000, "F-2 + F-3");
    expect(exact.body).toMatchObject({ letter: "B", unapplied: 0 });
    await invoice(s, "F-4", "C1", 10000, { issue: "2026-02-01", due: "2026-03-01" });
    const over = await pay(s, "P-3", 10080, "F-4");
    expect(over.body.allocations).toMatchObject([
      { invoice: "F-4", amount: 10000, rule: "label-reference" },
      { invoice: null, amount: 80, rule: "tolerance-overpayment", source: "payment" },
    ]);
    expect(over.body).toMatchObject({ letter: "C", unapplied: 0 });
    // Nothing left to pay: all of it is the customer's credit.
    const excess = await pay(s, "P-4", 50000);
    expect(excess.body).toMatchObject({ unapplied: 50000, allocations: [], letter: null });
    const exposure = (await s.call("GET", "/credit/C1")).body.exposure;
    expect(exposure.openInvoices.amount).toBe(0);
    expect(exposure.unappliedPayments).toMatchObject({
      amount: -50000,
      documents: [{ kind: "payment", id: "P-4", amount: -50000 }],
    });
    expect(exposure.total).toBe(-50000);
    expect((await s.call("GET", "/payments?customer=C1")).body.unapplied).toEqual([
      { kind: "payment", customer: "C1", id: "P-4", date: "2026-03-01", amount: 50000 },
    ]);
  });

  it("identifies the customer from the label, refuses duplicates and bad payments, changing nothing", async () => {
    const s = await setup();
    await three(s);
    const byLabel = await s.call("POST", "/payments", {
      body: { id: "P-1", date: "2026-03-01", amount: 10000, currency: "EUR", label: "payment F-1" },
    });
    expect(byLabel.body).toMatchObject({ customer: "C1", allocations: [{ invoice: "F-1" }] });
    const unknown = await s.call("POST", "/payments", {
      body: { id: "P-2", date: "2026-03-01", amount: 10000, currency: "EUR", label: "???" },
    });
    expect(unknown.body).toMatchObject({
      customer: null,
      letter: null,
      allocations: [],
      unapplied: 10000,
    });
    expect((await s.call("GET", "/payments", { role: "viewer" })).body.unapplied).toEqual([
      { kind: "payment", customer: null, id: "P-2", date: "2026-03-01", amount: 10000 },
    ]);
    const before = s.state();
    expect((await pay(s, "P-1", 10000)).status).toBe(409);
    expect((await pay(s, "P-9", 0)).status).toBe(400);
    expect((await pay(s, "P-9", -5)).status).toBe(400);
    expect((await pay(s, "P-9", 12.5)).status).toBe(400);
    expect((await pay(s, "P-9", 100, "", { currency: "USD" })).status).toBe(422);
    expect((await pay(s, "P-9", 100, "", { customer: "GHOST" })).status).toBe(422);
    expect(s.state()).toBe(before);
  });
});

describe("gateway credit: counter sales", () => {
  it("adds on-account sales synced from counters until invoiced, and alerts when they took a customer over the limit offline", async () => {
    const s = await setup();
    await customer(s, "C1", 100000);
    await invoice(s, "F-1", "C1", 60000, { due: "2026-03-30" });
    const pos1 = nodeChain(s, "pos-1");
    const pos2 = nodeChain(s, "pos-2");
    pos1.sale("pos-1-1", "C1", 30000, "2026-03-02T09:00:00.000Z");
    pos1.sync();
    expect(s.credit.afterIngest()).toEqual([]);
    expect((await s.call("GET", "/credit/C1")).body.exposure.counterSales).toMatchObject({
      amount: 30000,
      documents: [{ kind: "sale", id: "pos-1-1", detail: { node: "pos-1" } }],
    });
    // Both counters were cut off and each sold within its own cap.
    pos2.sale("pos-2-1", "C1", 8000, "2026-03-02T09:10:00.000Z");
    pos2.sale("pos-2-2", "C1", 5000, "2026-03-02T09:20:00.000Z");
    pos2.sync();
    const alerts = s.credit.afterIngest();
    expect(alerts).toEqual([
      {
        customer: "C1",
        limit: 100000,
        exposure: 103000,
        // 600.00 + 300.00 + 80.00 is still within 1 000.00: the 50.00 sale took it over.
        sales: [
          { id: "pos-2-2", node: "pos-2", seq: 2, total: 5000, at: "2026-03-02T09:20:00.000Z" },
        ],
      },
    ]);
    expect(s.live.filter((event) => event.type === "alert").map((event) => event.data)).toEqual([
      {
        level: "warning",
        message: expect.stringContaining("limit exceeded while offline: C1 owes €1,030.00"),
      },
    ]);
    expect(s.gatewayEntries("credit.limit-exceeded-offline")).toHaveLength(1);
    // Nothing is voided: the sales stay, and the next batch without sales alerts nothing again.
    expect((await s.call("GET", "/credit/C1")).body.exposure.counterSales.amount).toBe(43000);
    expect(s.credit.afterIngest()).toEqual([]);

    // The invoice of a counter sale takes it out of the counter-sales component.
    await invoice(s, "F-2", "C1", 30000, { due: "2026-04-01" }, { orderRef: "pos-1-1" });
    const after = (await s.call("GET", "/credit/C1")).body.exposure;
    expect(after.counterSales.amount).toBe(13000);
    expect(after.total).toBe(60000 + 30000 + 13000);
  });
});

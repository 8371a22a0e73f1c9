import { generateIdentity, type LedgerEntry } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { type ReconciliationSetup, reconciliationSetup } from "@comptoir/gateway/testing";
import {
  generateHistory,
  type History,
  type HistoryMovement,
  type HistoryPayment,
  type OpenItem,
} from "@comptoir/simulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Three months of a simulated site fed to a real gateway the way it meets
 * them: node chains of movements stored as ingest stores them, invoices as
 * JSON imports, payments as the bank's CSV export. The generator knows the
 * answers (what it shipped, billed, and what each customer still owes);
 * buckets and DSO are worked out here from its open items with the rules
 * of business-rules.md, not with the gateway's code.
 */

let s: ReconciliationSetup;
let h: History;

beforeAll(async () => {
  h = generateHistory({ seed: 20260105 });
  s = await reconciliationSetup(`${h.start}T06:00:00.000Z`);
  for (const customer of h.customers)
    await s.customer(customer.id, customer.name, { terms: customer.paymentTermsDays });
  for (const product of h.products) await s.product(product.sku, product.unitPrice, product.gtin);
  const chains = new Map<string, ReturnType<typeof nodeChain>>();
  for (const day of h.days) {
    s.clock.set(`${day.date}T19:00:00.000Z`);
    for (const movement of day.movements) {
      let chain = chains.get(movement.node);
      if (!chain) {
        chain = nodeChain(s, movement.node);
        chains.set(movement.node, chain);
      }
      chain.add(movement);
    }
    for (const chain of chains.values()) chain.sync();
    if (day.invoices.length > 0) {
      const res = await s.call("POST", "/invoices/import", { body: day.invoices });
      if (res.status !== 201) throw new Error(`${day.date} invoices: ${res.text}`);
    }
    if (day.payments.length > 0) {
      const res = await s.call("POST", "/payments/import", {
        raw: bankCsv(day.payments),
        type: "text/csv",
      });
      if (res.status !== 201) throw new Error(`${day.date} payments: ${res.text}`);
    }
  }
  s.clock.set(h.now);
});
afterAll(async () => {
  await s?.close();
});

/** A node's chain: movements sealed in order, stored a day at a time as ingest stores a batch. */
function nodeChain(setup: ReconciliationSetup, id: string) {
  setup.store.enrollNode(id, generateIdentity().publicKeyHex);
  const sealer = chainSealer(id);
  const pending: LedgerEntry[] = [];
  return {
    add({ node: _node, ...data }: HistoryMovement) {
      pending.push(sealer.seal("movement", data, data.at));
    },
    sync() {
      if (pending.length > 0) setup.store.appendEntries(id, pending.splice(0));
    },
  };
}

/** The bank's export: amounts in decimal, no customer id — the gateway finds the payer. */
function bankCsv(payments: readonly HistoryPayment[]): string {
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const rows = payments.map((p) =>
    [
      p.id,
      p.date,
      (p.amount / 100).toFixed(2),
      "EUR",
      quote(p.label),
      p.reference ?? "",
      quote(p.payer),
    ].join(","),
  );
  return ["id,date,amount,currency,label,reference,payer", ...rows].join("\n");
}

// ---- the rules, written again here (business-rules.md, "Receivables") ----

const BUCKETS = ["current", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;
type Buckets = Record<(typeof BUCKETS)[number], number>;
const DAY_MS = 86_400_000;

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Days past due: not yet due is current; then 1–30, 31–60, 61–90, 91–120, over 120. */
function bucket(late: number): (typeof BUCKETS)[number] {
  if (late <= 0) return "current";
  if (late <= 30) return "1-30";
  if (late <= 60) return "31-60";
  if (late <= 90) return "61-90";
  if (late <= 120) return "91-120";
  return "over-120";
}

/** Per customer: each open amount in the bucket of its days past due; unapplied payments and credit notes in their own column. */
function agedByCustomer(items: readonly OpenItem[], asOf: string) {
  const out: Record<string, { buckets: Buckets; unapplied: number; total: number }> = {};
  for (const item of items) {
    const who = item.customer ?? "(unidentified)";
    out[who] ??= {
      buckets: Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Buckets,
      unapplied: 0,
      total: 0,
    };
    if (item.kind === "payment" || item.kind === "credit-note") out[who].unapplied += item.open;
    else out[who].buckets[bucket(days(item.dueDate, asOf))] += item.open;
    out[who].total += item.open;
  }
  return out;
}

/** Sales of a month, VAT included, credit notes deducted. */
function salesOf(month: string): number {
  let sum = 0;
  for (const day of h.days)
    for (const invoice of day.invoices) {
      if (invoice.direction !== "customer" || !invoice.issueDate.startsWith(month)) continue;
      sum += invoice.type === "credit-note" ? -invoice.grossTotal : invoice.grossTotal;
    }
  return sum;
}

function monthBefore(month: string): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, index - 2, 1)).toISOString().slice(0, 7);
}

function daysIn(month: string): number {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, index, 0)).getUTCDate();
}

describe("a generated site history through a real gateway", () => {
  it("fed the whole history: thousands of reads, hundreds of invoices and payments", () => {
    const movements = h.days.reduce((sum, day) => sum + day.movements.length, 0);
    expect(movements).toBeGreaterThan(1000);
    expect(movements).toBeLessThan(5000);
    expect(s.store.db.prepare("SELECT COUNT(*) AS n FROM movements").get()).toEqual({
      n: movements,
    });
  });

  it("reconciliation finds each kind of discrepancy as many times as the history made it", async () => {
    const res = await s.call("GET", "/reconciliation");
    expect(res.status, res.text).toBe(200);
    expect(res.body.counts).toEqual(h.answer.counts);
    // Each mistake made on purpose is found on its order, as its kind. A quantity mistake is
    // the directional kind for the one unit: billed more than read is the missing unit
    // (invoiced_not_*), billed less the surplus (shipped_not_invoiced); which one, the history says.
    const billedLessRead = (order: string) => {
      let gap = 0;
      for (const day of h.days) {
        for (const movement of day.movements)
          if (movement.order === order && movement.sku !== null) gap -= 1;
        for (const invoice of day.invoices)
          if (invoice.orderRef === order) for (const line of invoice.lines) gap += line.quantity;
      }
      return gap;
    };
    const kindOf = (fault: (typeof h.answer.faults)[number]) => {
      switch (fault.fault) {
        case "salesQuantityMismatch":
          return billedLessRead(fault.order) > 0 ? "invoiced_not_shipped" : "shipped_not_invoiced";
        case "purchaseQuantityMismatch":
          return "invoiced_not_received";
        default:
          return {
            shippedNotInvoiced: "shipped_not_invoiced",
            invoicedNotShipped: "invoiced_not_shipped",
            receivedNotInvoiced: "received_not_invoiced",
            invoicedNotReceived: "invoiced_not_received",
            unknownTag: "unknown_tag",
          }[fault.fault];
      }
    };
    const found = new Map<string, { difference: number }>(
      res.body.discrepancies.map((d: { kind: string; order: string; difference: number }) => [
        `${d.kind} ${d.order}`,
        d,
      ]),
    );
    for (const fault of h.answer.faults) {
      const key = `${kindOf(fault)} ${fault.order}`;
      expect([...found.keys()], `${fault.fault} on ${fault.order}`).toContain(key);
      if (fault.fault.endsWith("QuantityMismatch"))
        expect(Math.abs(found.get(key)?.difference ?? 0), key).toBe(1);
    }
    expect(h.answer.faults.length).toBeGreaterThanOrEqual(15);
  });

  it.each(["2026-01-31", "2026-02-28", "2026-03-31"])(
    "aged balance on %s: each customer's buckets as the rules give them, the total equal to the receivable balance",
    async (asOf) => {
      const items = h.answer.open[asOf] as OpenItem[];
      const expected = agedByCustomer(items, asOf);
      const res = await s.call("GET", `/receivables/aging?asOf=${asOf}`);
      expect(res.status, res.text).toBe(200);
      const got = Object.fromEntries(
        res.body.customers.map(
          (c: { customer: string; buckets: Buckets; unapplied: number; total: number }) => [
            c.customer,
            { buckets: c.buckets, unapplied: c.unapplied, total: c.total },
          ],
        ),
      );
      expect(got).toEqual(expected);
      const total = items.reduce((sum, item) => sum + item.open, 0);
      expect(res.body.total).toBe(total);
      expect(res.body.balance).toBe(total);
    },
  );

  it("the older buckets and the negatives are exercised, not left empty", () => {
    const aged = Object.values(agedByCustomer(h.answer.open[h.end] as OpenItem[], h.end));
    for (const name of BUCKETS)
      expect(
        aged.some((c) => c.buckets[name] !== 0),
        name,
      ).toBe(true);
    expect(aged.some((c) => c.unapplied < 0)).toBe(true);
    const items = h.answer.open[h.end] as OpenItem[];
    expect(items.some((i) => i.kind === "instalment")).toBe(true);
    expect(items.some((i) => i.kind === "payment" && i.customer === null)).toBe(true);
    expect(items.some((i) => i.kind === "payment" && i.customer !== null)).toBe(true);
  });

  it("the receivable balance is what was invoiced less credit notes, payments and write-offs", async () => {
    let invoiced = 0;
    let received = 0;
    for (const day of h.days) {
      for (const invoice of day.invoices)
        if (invoice.direction === "customer")
          invoiced += invoice.type === "credit-note" ? -invoice.amountDue : invoice.amountDue;
      for (const payment of day.payments) received += payment.amount;
    }
    const res = await s.call("GET", `/receivables/aging?asOf=${h.end}`);
    expect(res.body.balance).toBe(invoiced - received - h.answer.writtenOff);
    expect(h.answer.writtenOff).toBeGreaterThan(0);
  });

  it.each(["2026-02", "2026-03"])("DSO of %s, accounting and countback", async (period) => {
    const monthEnd = `${period}-${String(daysIn(period)).padStart(2, "0")}`;
    const receivables = (h.answer.open[monthEnd] as OpenItem[]).reduce((sum, i) => sum + i.open, 0);
    const sales = salesOf(period);
    const accounting = (receivables / sales) * daysIn(period);
    // Countback: take each month's sales out of the receivables, newest first, the last month prorated.
    let left = receivables;
    let countback = 0;
    for (let month = period; left > 0; month = monthBefore(month)) {
      const monthSales = salesOf(month);
      if (month < "2024-01") throw new Error("receivables outlast every month of sales");
      if (left >= monthSales) {
        left -= monthSales;
        countback += daysIn(month);
      } else {
        countback += (left / monthSales) * daysIn(month);
        left = 0;
      }
    }
    const res = await s.call("GET", `/receivables/dso?period=${period}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.receivables).toBe(receivables);
    expect(res.body.sales).toBe(sales);
    expect(res.body.accounting).toBeCloseTo(accounting, 1);
    expect(res.body.countback).toBeCloseTo(countback, 1);
    expect(res.body.countbackExhausted).toBe(true);
  });
});

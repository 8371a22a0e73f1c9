import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Catalog } from "../catalog/service.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { INVOICES_NAMED_SQL } from "../receivables/invoices-named.js";
import { Receivables } from "../receivables/receivables.js";
import { Store } from "../store/store.js";
import { invoiceJson } from "../testing/gateway-app.js";
import { PaymentApplication } from "./apply.js";

/**
 * Issue 20: a payment's label finds the invoices it names by number, through
 * the invoices_number_upper index, in one read that both identifies the
 * customer and gives the invoices to settle first.
 */

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const system = { kind: "system", id: "test" } as const;

/** acme owns F-1, F-12 and F-123 (due in that order); bolt owns B-7. */
async function site() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-label-lookup-"));
  dirs.push(dir);
  const clock = new ManualClock("2026-03-20T12:00:00.000Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  stores.push(store);
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const catalog = new Catalog(store.db, ledger, { clock });
  for (const id of ["acme", "bolt"]) {
    catalog.saveCustomer(
      {
        id,
        name: `Client ${id}`,
        creditLimit: { amount: 1_000_000, currency: "EUR" },
        paymentTermsDays: 30,
      },
      system,
      "create",
    );
  }
  const receivables = new Receivables(store.db, ledger, catalog, { clock });
  const invoices: [string, string, string][] = [
    ["F-1", "acme", "2026-03-01"],
    ["F-12", "acme", "2026-03-02"],
    ["F-123", "acme", "2026-03-03"],
    ["B-7", "bolt", "2026-03-04"],
  ];
  for (const [number, customer, date] of invoices) {
    receivables.recordInvoice(
      invoiceJson(number, customer, [["WID", 1, 10_000]], { issueDate: date, dueDate: date }),
      system,
    );
  }
  const payments = new PaymentApplication(
    store.db,
    ledger,
    catalog,
    receivables.read,
    receivables.changes,
    { clock },
  );
  return { store, ledger, payments };
}

const pay = (id: string, label: string, extra: Record<string, unknown> = {}) => ({
  id,
  date: "2026-03-20",
  amount: 10_000,
  currency: "EUR",
  label,
  ...extra,
});

describe("a payment's label finds its invoices by number", () => {
  it("through the invoices_number_upper index, never a scan of the invoices", async () => {
    const { store } = await site();
    const plan = store.db
      .prepare<[string], { detail: string }>(`EXPLAIN QUERY PLAN ${INVOICES_NAMED_SQL}`)
      .all("[]")
      .map((row) => row.detail);
    expect(plan).toContainEqual(
      expect.stringMatching(/^SEARCH i USING INDEX invoices_number_upper/),
    );
    expect(plan.filter((detail) => /^SCAN (i|invoices)\b/.test(detail))).toEqual([]);
  });

  it("identifies the customer from a number in any case, and settles that invoice, not one whose number contains it", async () => {
    const { payments } = await site();
    const paid = payments.record(pay("P1", "VIR SEPA f-12 MERCI"), system);
    expect(paid.customer).toBe("acme");
    expect(paid.allocations.map((a) => [a.invoice, a.amount, a.rule])).toEqual([
      ["F-12", 10_000, "label-reference"],
    ]);
  });

  it("stays unidentified and unapplied when the label names invoices of two customers", async () => {
    const { payments } = await site();
    const paid = payments.record(pay("P1", "VIR F-1 B-7"), system);
    expect(paid.customer).toBeNull();
    expect(paid.allocations).toEqual([]);
    expect(paid.unapplied).toBe(10_000);
  });

  it("with its customer given, settles only that customer's invoices, not another's its label names", async () => {
    const { payments } = await site();
    const paid = payments.record(pay("P1", "VIR B-7", { customer: "acme" }), system);
    expect(paid.customer).toBe("acme");
    expect(paid.allocations.map((a) => [a.invoice, a.rule])).toEqual([["F-1", "oldest-due"]]);
  });

  it("an invoice already paid is not settled again: the payment goes to the oldest due", async () => {
    const { payments } = await site();
    payments.record(pay("P1", "VIR F-12"), system);
    const again = payments.record(pay("P2", "VIR F-12"), system);
    expect(again.customer).toBe("acme");
    expect(again.allocations.map((a) => [a.invoice, a.rule])).toEqual([["F-1", "oldest-due"]]);
  });

  it("prepares its statements once: a later payment prepares none", async () => {
    const { store, payments } = await site();
    payments.record(pay("P1", "VIR F-1"), system);
    const prepare = vi.spyOn(store.db, "prepare");
    payments.record(pay("P2", "VIR F-12"), system);
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([]);
  });
});

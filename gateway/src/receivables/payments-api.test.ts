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

const invoice = (number: string, amount: number, issueDate: string) =>
  invoiceJson(number, "acme", [["WID", 1, amount]], { issueDate, dueDate: issueDate });

/** Each allocation as [invoice, amount, letter, rule, actor]. */
const shown = (allocations: Record<string, unknown>[]) =>
  allocations.map((a) => [a.invoice, a.amount, a.letter, a.rule, a.by]);

/**
 * A bank export imported as a file: A1 paid by the reference in its label,
 * short of 0.50 (written off); A2 by the oldest-due rule, 20.00 left
 * unapplied; a third payment nobody can be identified for.
 */
async function importedSite() {
  s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
  await s.customer("acme");
  for (const body of [invoice("A1", 10000, "2026-03-01"), invoice("A2", 5000, "2026-03-02")]) {
    const res = await s.call("POST", "/invoices", { body });
    expect(res.status, res.text).toBe(201);
  }
  const res = await s.call("POST", "/payments/import", {
    raw: [
      "id,date,amount,label,customer",
      "P1,2026-03-10,99.50,VIR ACME A1,acme",
      "P2,2026-03-11,70.00,VIR ACME,acme",
      "P3,2026-03-12,12.00,VIR INCONNU,",
    ].join("\n"),
    type: "text/csv",
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe("a payment's application after a file import", () => {
  const actor = () => ({ kind: "token", id: s.tokenId.accounting });

  it("the import's answer lists each payment's allocations: invoice, amount, letter, rule, actor", async () => {
    const imported = await importedSite();
    const by = actor();
    expect(
      imported.payments.map((p: { id: string; allocations: Record<string, unknown>[] }) => [
        p.id,
        shown(p.allocations),
      ]),
    ).toEqual([
      [
        "P1",
        [
          ["A1", 9950, "A", "label-reference", by],
          ["A1", 50, "A", "tolerance-underpayment", by],
        ],
      ],
      ["P2", [["A2", 5000, "B", "oldest-due", by]]],
      ["P3", []],
    ]);
  });

  it("GET /payments/:id and GET /payments show them, and an undone match as undone", async () => {
    await importedSite();
    const by = actor();
    const one = await s.call("GET", "/payments/P1", { role: "viewer" });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({
      id: "P1",
      date: "2026-03-10",
      amount: 9950,
      currency: "EUR",
      customer: "acme",
      label: "VIR ACME A1",
      applied: 9950,
      writtenOff: 50,
      unapplied: 0,
    });
    expect(shown(one.body.allocations)).toEqual([
      ["A1", 9950, "A", "label-reference", by],
      ["A1", 50, "A", "tolerance-underpayment", by],
    ]);
    expect(one.body.allocations.map((a: { undone: unknown }) => a.undone)).toEqual([null, null]);

    const list = await s.call("GET", "/payments");
    expect(list.status, list.text).toBe(200);
    expect(
      list.body.payments.map(
        (p: { id: string; customer: string | null; unapplied: number; allocations: [] }) => [
          p.id,
          p.customer,
          p.unapplied,
          shown(p.allocations),
        ],
      ),
    ).toEqual([
      [
        "P1",
        "acme",
        0,
        [
          ["A1", 9950, "A", "label-reference", by],
          ["A1", 50, "A", "tolerance-underpayment", by],
        ],
      ],
      ["P2", "acme", 2000, [["A2", 5000, "B", "oldest-due", by]]],
      ["P3", null, 1200, []],
    ]);
    // The unapplied credit is still there, as before.
    expect(
      list.body.unapplied.map((u: { id: string; amount: number }) => [u.id, u.amount]),
    ).toEqual([
      ["P2", 2000],
      ["P3", 1200],
    ]);
    const mine = await s.call("GET", "/payments?customer=acme");
    expect(mine.body.payments.map((p: { id: string }) => p.id)).toEqual(["P1", "P2"]);

    s.clock.set("2026-03-21T08:00:00.000Z");
    expect((await s.call("POST", "/allocations/A/undo")).status).toBe(200);
    const undone = await s.call("GET", "/payments/P1");
    expect(undone.body).toMatchObject({ applied: 0, writtenOff: 0, unapplied: 9950 });
    expect(shown(undone.body.allocations)).toEqual([
      ["A1", 9950, "A", "label-reference", by],
      ["A1", 50, "A", "tolerance-underpayment", by],
    ]);
    expect(undone.body.allocations.map((a: { undone: unknown }) => a.undone)).toEqual([
      { at: "2026-03-21T08:00:00.000Z", by },
      { at: "2026-03-21T08:00:00.000Z", by },
    ]);
  });

  it("an unknown payment is a 404 naming it; the payments template is still served", async () => {
    await importedSite();
    const missing = await s.call("GET", "/payments/P9");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "not_found", path: "id" });
    expect(missing.body.error.message).toContain("P9");
    const template = await s.call("GET", "/payments/template.csv");
    expect(template.status).toBe(200);
    expect(template.type).toMatch(/^text\/csv/);
    expect((await s.call("GET", "/payments/P1", { role: "warehouse" })).status).toBe(403);
  });
});

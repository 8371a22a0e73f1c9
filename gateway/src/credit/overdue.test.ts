import { CreditSnapshotSchema, decideCredit } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { invoiceJson, reconciliationPerTest } from "../testing/gateway-app.js";

/** 2026-03-02, 10:00 UTC: "today" for the due dates below. */
const T0 = "2026-03-02T10:00:00.000Z";
const site = reconciliationPerTest(T0);

async function setup() {
  const s = await site();
  await s.customer("C1", "Menuiserie Dupont");
  return s;
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** An invoice of `amount` to C1, due `due`. */
async function invoice(s: Setup, number: string, amount: number, due: string) {
  const body = invoiceJson(number, "C1", [["SKU-1", 1, amount]], {
    issueDate: "2025-12-01",
    dueDate: due,
  });
  const res = await s.call("POST", "/invoices", { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const check = (s: Setup, amount = 100) =>
  s.call("POST", "/credit/check", { role: "counter", body: { customer: "C1", amount } });

describe("gateway credit: the overdue rule names the invoices it counts", () => {
  it("POST /credit/check blocks on the items more than 30 days late and names each of them", async () => {
    const s = await setup();
    await invoice(s, "F-2026-0012", 60_000, "2026-01-26"); // 35 days late
    await invoice(s, "F-2026-0020", 8_000, "2026-01-30"); // 31 days
    await invoice(s, "F-2026-0030", 500_000, "2026-01-31"); // 30 days: not counted
    await invoice(s, "F-2026-0044", 900_000, "2026-02-27"); // 3 days
    const res = await check(s);
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe("block");
    expect(res.body.reasons).toEqual([
      {
        code: "overdue",
        message:
          "overdue more than 30 days: F-2026-0012 €600.00 (35 days), F-2026-0020 €80.00 (31 days); €680.00 > floor €50.00",
        items: [
          { invoice: "F-2026-0012", open: 60_000, daysOverdue: 35 },
          { invoice: "F-2026-0020", open: 8_000, daysOverdue: 31 },
        ],
      },
    ]);
    // The ledger keeps the named reasons and the figures the dashboard's history shows.
    const [entry] = s.gatewayEntries("credit.checked");
    expect(entry?.data).toMatchObject({
      customer: "C1",
      decision: "block",
      reasons: [
        { code: "overdue", items: [{ invoice: "F-2026-0012" }, { invoice: "F-2026-0020" }] },
      ],
      figures: { currency: "EUR", amount: 100, overdue: 1_468_000 },
    });
  });

  it("approves 0.40 that is 35 days late plus 600.00 that is 5 days late, and blocks once the 600.00 is 31", async () => {
    const s = await setup();
    await invoice(s, "F-OLD", 40, "2026-01-26");
    await invoice(s, "F-NEW", 60_000, "2026-02-25");
    expect((await check(s)).body.decision).toBe("approve");
    expect((await s.call("GET", "/credit/C1")).body.status).toBe("ok");

    s.clock.set("2026-03-28T08:00:00.000Z");
    const late = (await check(s)).body;
    expect(late.decision).toBe("block");
    expect(late.reasons[0].message).toBe(
      "overdue more than 30 days: F-OLD €0.40 (61 days), F-NEW €600.00 (31 days); €600.40 > floor €50.00",
    );
  });

  it("the retained snapshot lists the overdue items, and a counter ages them by itself", async () => {
    const s = await setup();
    await invoice(s, "F-OLD", 40, "2026-01-26");
    await invoice(s, "F-NEW", 60_000, "2026-02-25");
    await invoice(s, "F-LATER", 70_000, "2026-04-30"); // not due yet: not listed
    const snapshot = CreditSnapshotSchema.parse(await s.credit.snapshots.publishCustomer("C1"));
    expect(snapshot).toMatchObject({
      overdue: 60_040,
      overdueSince: "2026-01-26",
      overdueItems: [
        { invoice: "F-OLD", open: 40, dueDate: "2026-01-26" },
        { invoice: "F-NEW", open: 60_000, dueDate: "2026-02-25" },
      ],
      status: "ok",
    });
    const atCounter = (now: string) =>
      decideCredit({
        snapshot,
        pendingOwnSales: 0,
        amount: 100,
        policy: snapshot.policy ?? s.credit.policy,
        now: new Date(now),
        offline: false,
      });
    expect(atCounter(T0).decision).toBe("approve");
    expect(atCounter("2026-03-28T08:00:00.000Z").reasons[0]?.items).toEqual([
      { invoice: "F-OLD", open: 40, daysOverdue: 61 },
      { invoice: "F-NEW", open: 60_000, daysOverdue: 31 },
    ]);
  });
});

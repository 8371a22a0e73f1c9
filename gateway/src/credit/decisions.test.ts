import {
  CREDIT_DECISION_TYPE,
  type CreditDecisionData,
  CreditDecisionDataSchema,
  CreditDecisionListSchema,
  generateIdentity,
  type LedgerEntry,
} from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { describe, expect, it } from "vitest";
import { invoiceJson, reconciliationPerTest } from "../testing/gateway-app.js";

/** 2026-03-02, 10:00 UTC. */
const T0 = "2026-03-02T10:00:00.000Z";
const site = reconciliationPerTest(T0);

async function setup() {
  const s = await site();
  await s.customer("C1", "Menuiserie Dupont", { limit: 100_000 });
  await s.customer("C2", "Bistro du Port", { limit: 500_000 });
  return s;
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** A counter's chain of decision entries, stored as ingest stores a node's batch. */
function counter(s: Setup, node: string) {
  s.store.enrollNode(node, generateIdentity().publicKeyHex);
  const sealer = chainSealer(node);
  const pending: LedgerEntry[] = [];
  return {
    decide(customer: string, decision: "approve" | "block", amount: number, at: string) {
      const data: CreditDecisionData = CreditDecisionDataSchema.parse({
        customer,
        clerk: "alice",
        decision,
        reasons:
          decision === "block"
            ? [
                {
                  code: "over-limit",
                  message: "exposure 1 500.00 > limit 1 000.00; available 0.00",
                },
              ]
            : [{ code: "within-limit", message: "exposure 200.00 ≤ limit 1 000.00; 800.00 left" }],
        figures: {
          currency: "EUR",
          limit: 100_000,
          exposure: 0,
          amount,
          availableAfter: 100_000 - amount,
          overdue: 0,
          snapshotVersion: 3,
          snapshotAsOf: "2026-03-02T08:00:00.000Z",
          offline: decision === "block",
        },
        at,
      });
      pending.push(sealer.seal(CREDIT_DECISION_TYPE, data, at));
    },
    sync() {
      s.store.appendEntries(node, pending.splice(0));
    },
  };
}

async function list(
  s: Setup,
  query = "",
  role: "accounting" | "viewer" | "counter" = "accounting",
) {
  const res = await s.call("GET", `/credit/decisions${query}`, { role });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return CreditDecisionListSchema.parse(res.body).decisions;
}

describe("GET /credit/decisions", () => {
  it("lists the counters' synced decisions, the online checks and the orders' decisions, newest first", async () => {
    const s = await setup();
    const pos = counter(s, "pos-1");
    pos.decide("C1", "block", 150_000, "2026-03-02T08:30:00.000Z");
    pos.decide("C2", "approve", 20_000, "2026-03-02T09:00:00.000Z");
    pos.sync();
    // An online check by the counter role's token, then an order decided at entry (as the orders write it).
    s.clock.set("2026-03-02T09:30:00.000Z");
    expect(
      (
        await s.call("POST", "/credit/check", {
          role: "counter",
          body: { customer: "C1", amount: 500 },
        })
      ).status,
    ).toBe(200);
    s.clock.set("2026-03-02T09:45:00.000Z");
    s.ledger.record(
      "order.placed",
      {
        order: "SO-1",
        customer: "C2",
        amount: 700_000,
        currency: "EUR",
        decision: "block",
        reasons: [
          { code: "over-limit", message: "exposure 7 000.00 > limit 5 000.00; available 5 000.00" },
        ],
      },
      { kind: "token", id: "erp" },
    );
    // A credit manager's override records no decision of the rules: it is not listed.
    s.ledger.record(
      "order.released",
      { order: "SO-1", customer: "C2", override: true, reason: "paid by card" },
      { kind: "user", id: "claire" },
    );

    const decisions = await list(s);
    expect(decisions).toEqual([
      {
        source: "order",
        chain: "gateway",
        seq: expect.any(Number),
        at: "2026-03-02T09:45:00.000Z",
        customer: "C2",
        customerName: "Bistro du Port",
        decision: "block",
        reasons: [
          { code: "over-limit", message: "exposure 7 000.00 > limit 5 000.00; available 5 000.00" },
        ],
        amount: 700_000,
        currency: "EUR",
        by: "token:erp",
        offline: false,
        order: "SO-1",
      },
      {
        source: "check",
        chain: "gateway",
        seq: expect.any(Number),
        at: "2026-03-02T09:30:00.000Z",
        customer: "C1",
        customerName: "Menuiserie Dupont",
        decision: "approve",
        reasons: [expect.objectContaining({ code: "within-limit" })],
        amount: 500,
        currency: "EUR",
        by: `token:${s.tokenId.counter}`,
        offline: false,
      },
      {
        source: "counter",
        chain: "pos-1",
        seq: 2,
        at: "2026-03-02T09:00:00.000Z",
        customer: "C2",
        customerName: "Bistro du Port",
        decision: "approve",
        reasons: [expect.objectContaining({ code: "within-limit" })],
        amount: 20_000,
        currency: "EUR",
        by: "alice",
        offline: false,
      },
      expect.objectContaining({
        source: "counter",
        chain: "pos-1",
        seq: 1,
        customer: "C1",
        decision: "block",
        amount: 150_000,
        offline: true,
      }),
    ]);
  });

  it("filters by outcome, customer, time and count; every role that reads credit may list them", async () => {
    const s = await setup();
    const pos = counter(s, "pos-1");
    for (let minute = 0; minute < 12; minute++) {
      const at = `2026-03-02T08:${String(minute).padStart(2, "0")}:00.000Z`;
      pos.decide(
        minute % 3 === 0 ? "C1" : "C2",
        minute % 2 === 0 ? "block" : "approve",
        100 + minute,
        at,
      );
    }
    pos.sync();
    const amounts = (decisions: { amount: number }[]) => decisions.map((one) => one.amount);
    expect(amounts(await list(s, "?outcome=block"))).toEqual([110, 108, 106, 104, 102, 100]);
    expect(amounts(await list(s, "?customer=C1"))).toEqual([109, 106, 103, 100]);
    expect(amounts(await list(s, "?customer=C1&outcome=approve"))).toEqual([109, 103]);
    expect(amounts(await list(s, "?since=2026-03-02T08:09:00Z"))).toEqual([111, 110, 109]);
    expect(amounts(await list(s, "?since=2026-03-02T09:08:00%2B01:00&outcome=block"))).toEqual([
      110, 108,
    ]);
    expect(amounts(await list(s, "?limit=2"))).toEqual([111, 110]);
    expect(await list(s, "?customer=NOBODY")).toEqual([]);
    expect(await list(s, "", "viewer")).toHaveLength(12);
    expect(await list(s, "", "counter")).toHaveLength(12);
    // The default is the newest 100.
    for (let minute = 0; minute < 100; minute++) {
      const at = `2026-03-02T09:${String(minute % 60).padStart(2, "0")}:${minute < 60 ? "00" : "30"}.000Z`;
      pos.decide("C2", "approve", 1000 + minute, at);
    }
    pos.sync();
    expect(await list(s)).toHaveLength(100);
    expect(await list(s, "?limit=1000")).toHaveLength(112);
  });

  it("refuses a bad outcome, time, limit or customer with what is wrong and where; a role without credit:read is refused", async () => {
    const s = await setup();
    for (const [query, path] of [
      ["?outcome=maybe", "outcome"],
      ["?since=yesterday", "since"],
      ["?since=2026-13-40T00:00:00Z", "since"],
      ["?limit=0", "limit"],
      ["?limit=1001", "limit"],
      ["?limit=ten", "limit"],
      ["?customer=a%20b", "customer"],
      ["?colour=red", ""],
    ]) {
      const res = await s.call("GET", `/credit/decisions${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("invalid_input");
      expect(res.body.error.message.length, query).toBeGreaterThan(10);
      if (path) expect(res.body.error.path, query).toBe(path);
    }
    expect((await s.call("GET", "/credit/decisions", { role: "warehouse" })).status).toBe(403);
  });

  it("lists the overdue reason's items as the counter recorded them", async () => {
    const s = await setup();
    const res = await s.call("POST", "/invoices", {
      body: invoiceJson("F-2026-0012", "C1", [["SKU-1", 1, 60_000]], {
        issueDate: "2025-12-01",
        dueDate: "2026-01-26",
      }),
    });
    expect(res.status).toBe(201);
    const checked = await s.call("POST", "/credit/check", {
      body: { customer: "C1", amount: 100 },
    });
    expect(checked.body.decision, JSON.stringify(checked.body)).toBe("block");
    const [decision] = await list(s, "?outcome=block");
    expect(decision?.reasons).toContainEqual({
      code: "overdue",
      message: "overdue more than 30 days: F-2026-0012 €600.00 (35 days); €600.00 > floor €50.00",
      items: [{ invoice: "F-2026-0012", open: 60_000, daysOverdue: 35 }],
    });
  });
});

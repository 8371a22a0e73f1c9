import type { Catalog, SaleLine } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import {
  type Counter,
  cleanupsAfterEach,
  entries,
  GTIN_LAMP,
  poll,
  SUPERVISOR_PIN,
  setupCounter,
} from "../node/testing/counter.js";
import { linesBelowCost } from "./below-cost.js";

// Lines priced under the next unit's cost: flagged, recorded, and in block
// mode refused unless a supervisor approves — through the HTTP API of a real
// counter node, the test playing the gateway that publishes the catalog.

const cleanups = cleanupsAfterEach();

/** The test counter's catalog (version 1, no costs) again as version 2 with each product's next unit's cost. */
const COSTED: Catalog = {
  version: 2,
  currency: "EUR",
  asOf: "2026-11-27T09:00:00.000Z",
  products: [
    // Sold at 150.00, the next unit costs 160.00: under cost.
    { sku: "CHAIR", name: "Oak chair", unitPrice: 15_000, unitCost: 16_000 },
    { sku: "TABLE", name: "Oak table", unitPrice: 30_000, unitCost: 20_000 },
    // Priced exactly at cost: not under it.
    { sku: "LAMP", gtin: GTIN_LAMP, name: "Desk lamp", unitPrice: 15_000, unitCost: 15_000 },
  ],
};

const CHAIR_UNDER = { line: 0, sku: "CHAIR", unitPrice: 15_000, unitCost: 16_000 };

async function costedCounter(pos: Record<string, unknown> = {}) {
  const { counter, gateway } = await setupCounter(cleanups, pos);
  await gateway.catalog(COSTED);
  await poll(async () => (await counter.call("GET", "/pos/status")).body.catalog?.version).toBe(2);
  return counter;
}

const sale = (counter: Counter, body: Record<string, unknown>) =>
  counter.call("POST", "/pos/sale", body);

const line = (sku: string, unitPrice: number): SaleLine => ({
  sku,
  name: sku,
  epcs: [],
  quantity: 1,
  unitPrice,
  lineTotal: unitPrice,
});

describe("lines under cost", () => {
  it("are those priced strictly below the catalog's unitCost; a catalog without costs flags none", () => {
    const lines = [line("CHAIR", 15_000), line("TABLE", 30_000), line("LAMP", 15_000)];
    expect(linesBelowCost(COSTED, lines)).toEqual([CHAIR_UNDER]);
    const { unitCost: _cost, ...chair } = COSTED.products[0] as Catalog["products"][number];
    const uncosted = { ...COSTED, products: [chair] };
    expect(linesBelowCost(uncosted, lines)).toEqual([]);
    expect(linesBelowCost(null, lines)).toEqual([]);
  });
});

describe("POS below cost, policy warn (the default)", () => {
  it("flags the line in the basket and the check, sells, and records the lines under cost in the sale", async () => {
    const counter = await costedCounter();
    const basket = await counter.call("POST", "/pos/basket/add", { gtin: GTIN_LAMP, quantity: 1 });
    expect(basket.body).toMatchObject({ belowCost: [], belowCostPolicy: "warn" });

    const lines = [
      { sku: "CHAIR", quantity: 1 },
      { sku: "TABLE", quantity: 1 },
    ];
    const check = await counter.call("POST", "/pos/check", { customer: "acme", lines });
    expect(check.status).toBe(201);
    expect(check.body.belowCost).toEqual([CHAIR_UNDER]);

    const sold = await sale(counter, { payment: "cash", lines });
    expect(sold.status).toBe(201);
    const recorded = await entries(counter, "sale");
    expect(recorded.map((e) => e.data)).toEqual([sold.body.sale]);
    expect(sold.body.sale.belowCost).toEqual({ policy: "warn", lines: [CHAIR_UNDER] });
  });

  it("a catalog without unitCost (an older gateway's) never warns nor records anything", async () => {
    const { counter } = await setupCounter(cleanups, { belowCost: "block" });
    const sold = await sale(counter, { payment: "cash", lines: [{ sku: "CHAIR", quantity: 1 }] });
    expect(sold.status).toBe(201);
    expect(sold.body.sale).not.toHaveProperty("belowCost");
    const check = await counter.call("POST", "/pos/check", {
      customer: "acme",
      lines: [{ sku: "CHAIR", quantity: 1 }],
    });
    expect(check.body).not.toHaveProperty("belowCost");
  });
});

describe("POS below cost, policy block", () => {
  it("refuses the sale naming the line (422 below_cost), records nothing; a supervisor's PIN and reason let it through", async () => {
    const counter = await costedCounter({ belowCost: "block" });
    const before = counter.node.runtime.ledger.head.seq;
    const lines = [{ sku: "CHAIR", quantity: 1 }];

    const refused = await sale(counter, { customer: "acme", payment: "account", lines });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "below_cost", path: "lines[0]" });
    expect(refused.body.error.message).toContain("CHAIR at €150.00 under its cost €160.00");
    expect(refused.body.belowCost).toEqual({ policy: "block", lines: [CHAIR_UNDER] });
    // Refused before the credit decision: no decision, no sale, no movement.
    await counter.node.runtime.ledger.flush();
    expect(counter.node.runtime.ledger.head.seq).toBe(before);

    const wrong = await sale(counter, {
      payment: "cash",
      lines,
      belowCostOverride: { supervisor: "sup-1", pin: "000000", reason: "end of line" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: "wrong_pin", path: "pin" });
    expect(await entries(counter, "sale")).toEqual([]);

    const approved = await sale(counter, {
      payment: "cash",
      lines,
      belowCostOverride: { supervisor: "sup-1", pin: SUPERVISOR_PIN, reason: " end of line " },
    });
    expect(approved.status).toBe(201);
    expect((await entries(counter, "sale"))[0]?.data).toMatchObject({
      payment: "cash",
      belowCost: {
        policy: "block",
        lines: [CHAIR_UNDER],
        override: { supervisor: "sup-1", reason: "end of line" },
      },
    });
    // A sale with nothing under cost goes through as ever.
    const table = await sale(counter, { payment: "cash", lines: [{ sku: "TABLE", quantity: 1 }] });
    expect(table.status).toBe(201);
    expect(table.body.sale).not.toHaveProperty("belowCost");
  });

  it("the credit override's one PIN and reason cover lines under cost; an override approved for credit still completes a sale blocked for cost", async () => {
    const counter = await costedCounter({ belowCost: "block" });
    const override = (lines: unknown[]) =>
      counter.call("POST", "/pos/override", {
        customer: "acme",
        supervisor: "sup-1",
        pin: SUPERVISOR_PIN,
        reason: "payment promised today",
        lines,
      });
    // 150.00 on account is within the 800.00 available: only the cost blocks it.
    const costOnly = await override([{ sku: "CHAIR", quantity: 1 }]);
    expect(costOnly.status).toBe(201);
    expect(costOnly.body.decision.decision).toBe("approve");
    expect(costOnly.body.sale).not.toHaveProperty("override");
    expect(costOnly.body.sale.belowCost.override).toEqual({
      supervisor: "sup-1",
      reason: "payment promised today",
    });
    // Nothing blocked (credit approves, nothing under cost): the override is refused as before.
    const needless = await override([{ sku: "LAMP", quantity: 1 }]);
    expect(needless.status).toBe(422);
    expect(needless.body.error.code).toBe("not_blocked");

    // 3 tables + a chair: over the limit and under cost, one override.
    const both = await override([
      { sku: "CHAIR", quantity: 1 },
      { sku: "TABLE", quantity: 3 },
    ]);
    expect(both.status).toBe(201);
    expect(both.body.decision.decision).toBe("block");
    expect(both.body.sale).toMatchObject({
      override: { supervisor: "sup-1", reason: "payment promised today" },
      belowCost: { policy: "block", lines: [CHAIR_UNDER], override: { supervisor: "sup-1" } },
    });
  });
});

import { describe, expect, it } from "vitest";
import {
  type Counter,
  cleanupsAfterEach,
  entries,
  SUPERVISOR_PIN,
  setupCounter,
} from "./testing/counter.js";

// Supervisor overrides, wrong PINs, and bad requests, through the HTTP API
// of a real counter node.

const cleanups = cleanupsAfterEach();

/** 4 200.00 + 900.00 > 5 000.00: blocked on account. */
const BLOCKED_LINES = [{ sku: "TABLE", quantity: 3 }];

function override(counter: Counter, pin: string, extra: Record<string, unknown> = {}) {
  return counter.call("POST", "/pos/override", {
    customer: "acme",
    supervisor: "sup-1",
    pin,
    reason: "payment promised today",
    lines: BLOCKED_LINES,
    ...extra,
  });
}

describe("POS override", () => {
  it("completes a blocked sale with the supervisor's PIN and records clerk, supervisor, reason, exposure before and after, limit", async () => {
    const { counter } = await setupCounter(cleanups);
    // An approved sale needs no override: refused (the decision is recorded), nothing sold.
    const needless = await override(counter, SUPERVISOR_PIN, {
      lines: [{ sku: "LAMP", quantity: 1 }],
    });
    expect(needless.status).toBe(422);
    expect(needless.body.error.code).toBe("not_blocked");
    expect(needless.body.decision.decision).toBe("approve");
    expect(await entries(counter, "sale")).toEqual([]);

    const blocked = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: BLOCKED_LINES,
    });
    expect(blocked.status).toBe(422);

    const done = await override(counter, SUPERVISOR_PIN);
    expect(done.status).toBe(201);
    const sales = await entries(counter, "sale");
    expect(sales).toHaveLength(1);
    expect(sales[0]?.data).toMatchObject({
      payment: "account",
      customer: "acme",
      total: 90_000,
      override: {
        supervisor: "sup-1",
        reason: "payment promised today",
        exposureBefore: 420_000,
        exposureAfter: 510_000,
        limit: 500_000,
      },
    });
    // The decision behind it is recorded too (a block), and the exposure now includes the sale.
    expect(
      (await entries(counter, "credit-decision")).map(
        (e) => (e.data as { decision: string }).decision,
      ),
    ).toEqual(["approve", "block", "block"]);
    expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
      exposure: 510_000,
      available: -10_000,
    });
  });

  it("refuses a wrong PIN (403), and after 5 wrong PINs in a minute refuses even the right one (429) until the minute has passed", async () => {
    const { counter } = await setupCounter(cleanups);
    const before = counter.node.runtime.ledger.head.seq;
    for (let i = 0; i < 5; i++) {
      const wrong = await override(counter, "000000");
      expect(wrong.status).toBe(403);
      expect(wrong.body.error).toMatchObject({ code: "wrong_pin", path: "pin" });
    }
    const locked = await override(counter, SUPERVISOR_PIN);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("too_many_attempts");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(counter.node.runtime.ledger.head.seq).toBe(before);
    // An unknown supervisor is counted as a wrong PIN too.
    expect((await override(counter, SUPERVISOR_PIN, { supervisor: "nobody" })).status).toBe(403);

    counter.clock.advance(61_000);
    const ok = await override(counter, SUPERVISOR_PIN);
    expect(ok.status).toBe(201);
    expect(ok.body.sale.override.supervisor).toBe("sup-1");
  });
});

describe("POS bad requests", () => {
  const cases: [string, string, unknown, string][] = [
    ["POST", "/pos/basket/add", { gtin: "123", quantity: 1 }, "gtin"],
    ["POST", "/pos/basket/add", { gtin: "03453120000011", quantity: 0 }, "quantity"],
    ["POST", "/pos/basket/remove", {}, "epc"],
    ["POST", "/pos/check", { customer: "acme", amount: 12.5 }, "amount"],
    ["POST", "/pos/check", { customer: "acme", amount: -100 }, "amount"],
    ["POST", "/pos/check", { customer: "acme", amount: 0 }, "amount"],
    ["POST", "/pos/check", { customer: "acme", amount: 1e15 }, "amount"],
    ["POST", "/pos/check", { customer: "acme", amount: "100" }, "amount"],
    ["POST", "/pos/check", { customer: "acme" }, "amount"],
    ["POST", "/pos/check", { customer: "a/b", amount: 100 }, "customer"],
    // The clerk comes from the sign-in: naming one in the body is refused.
    ["POST", "/pos/check", { customer: "acme", clerk: "mallory", amount: 100 }, ""],
    [
      "POST",
      "/pos/sale",
      { payment: "account", lines: [{ sku: "TABLE", quantity: 1 }] },
      "customer",
    ],
    ["POST", "/pos/sale", { payment: "card", lines: [{ sku: "TABLE", quantity: 1 }] }, "payment"],
    ["POST", "/pos/sale", { payment: "cash", lines: [] }, "lines"],
    [
      "POST",
      "/pos/sale",
      { payment: "cash", lines: [{ sku: "TABLE", quantity: 1.5 }] },
      "lines[0].quantity",
    ],
    [
      "POST",
      "/pos/sale",
      {
        payment: "cash",
        lines: [{ sku: "TABLE", gtin: "03453120000011", quantity: 1 }],
      },
      "lines[0].sku",
    ],
    [
      "POST",
      "/pos/sale",
      { payment: "cash", lines: [{ sku: "TABLE", epcs: ["nope"] }] },
      "lines[0].epcs[0]",
    ],
    [
      "POST",
      "/pos/sale",
      { payment: "cash", lines: [{ sku: "TABLE", quantity: 1 }], unitPrice: 1 },
      "",
    ],
    [
      "POST",
      "/pos/override",
      {
        customer: "acme",
        supervisor: "sup-1",
        pin: SUPERVISOR_PIN,
        reason: " ",
        lines: BLOCKED_LINES,
      },
      "reason",
    ],
    [
      "POST",
      "/pos/override",
      {
        customer: "acme",
        supervisor: "sup-1",
        pin: "12",
        reason: "because",
        lines: BLOCKED_LINES,
      },
      "pin",
    ],
  ];

  it("answers 400 with the path of the problem and changes nothing", async () => {
    const { counter } = await setupCounter(cleanups);
    const head = counter.node.runtime.ledger.head.seq;
    const standing = (await counter.call("GET", "/pos/customers/acme")).body;
    await counter.call("POST", "/pos/basket/add", { gtin: "03453120000011", quantity: 2 });
    const basket = (await counter.call("GET", "/pos/basket")).body;
    for (const [method, path, body, where] of cases) {
      const res = await counter.call(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.message.length).toBeGreaterThan(10);
      if (where) expect(res.body.error.path, JSON.stringify(body)).toBe(where);
    }
    // Well formed but unknown to the catalog: 422, with the line's path.
    const unknown = await counter.call("POST", "/pos/sale", {
      payment: "cash",
      lines: [{ sku: "SOFA", quantity: 1 }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: "unknown_product", path: "lines[0].sku" });
    expect(counter.node.runtime.ledger.head.seq).toBe(head);
    expect((await counter.call("GET", "/pos/customers/acme")).body).toEqual(standing);
    expect((await counter.call("GET", "/pos/basket")).body).toEqual(basket);
  });
});

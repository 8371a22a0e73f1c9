import {
  ClerkSignedInSchema,
  NodeErrorBodySchema,
  PosClerksSchema,
  PosCustomersSchema,
  PosStandingSchema,
  PosStatusSchema,
  PosSupervisorsSchema,
  PricedBasketSchema,
  RecordedDecisionSchema,
  SoldSchema,
} from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  A,
  CLERK,
  type Counter,
  cleanupsAfterEach,
  poll,
  setupCounter,
} from "./testing/counter.js";

// The counter's POS answers parse with the response schemas in
// contracts/src/api/node, the types the POS page reads them with: the
// routes' `satisfies` checks the types, this checks what a page really gets.

const cleanups = cleanupsAfterEach();

async function answer<S extends z.ZodType>(
  counter: Counter,
  schema: S,
  method: string,
  path: string,
  body?: unknown,
): Promise<z.infer<S>> {
  const res = await counter.call(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return schema.parse(res.body);
}

describe("the POS API's answers, against contracts' response schemas", () => {
  it("status, people, customers, basket, check, a refused and a completed sale, sign-in", async () => {
    const { counter } = await setupCounter(cleanups);
    expect((await answer(counter, PosStatusSchema, "GET", "/pos/status")).catalog).not.toBeNull();
    const clerks = await answer(counter, PosClerksSchema, "GET", "/pos/clerks");
    expect(clerks.clerks.map((c) => c.id)).toContain(CLERK.id);
    await answer(counter, PosSupervisorsSchema, "GET", "/pos/supervisors");
    const customers = await answer(counter, PosCustomersSchema, "GET", "/pos/customers?q=ac");
    expect(customers.customers.map((c) => c.customer)).toContain("acme");
    await answer(counter, PosStandingSchema, "GET", "/pos/customers/acme");

    await counter.node.runtime.commission({ epc: A, sku: "CHAIR" });
    counter.putOnCounter(A);
    await poll(async () => (await counter.call("GET", "/pos/basket")).body.total).toBe(15_000);
    const basket = await answer(counter, PricedBasketSchema, "GET", "/pos/basket");
    expect(basket.lines.map((line) => line.sku)).toEqual(["CHAIR"]);
    const added = await answer(counter, PricedBasketSchema, "POST", "/pos/basket/add", {
      gtin: "03453120000011",
      quantity: 1,
    });
    expect(added.lines).toHaveLength(2);

    const decision = await answer(counter, RecordedDecisionSchema, "POST", "/pos/check", {
      customer: "acme",
      amount: 90_000,
    });
    expect(decision.decision).toBe("block");
    const refused = await counter.call("POST", "/pos/sale", {
      customer: "acme",
      payment: "account",
      lines: [{ sku: "CHAIR", quantity: 6 }],
    });
    expect(refused.status).toBe(422);
    expect(NodeErrorBodySchema.parse(refused.body).decision?.decision).toBe("block");
    const sold = await answer(counter, SoldSchema, "POST", "/pos/sale", {
      payment: "cash",
      lines: [{ sku: "CHAIR", epcs: [A] }],
    });
    expect(sold.sale.total).toBe(15_000);

    const signedIn = await answer(counter, ClerkSignedInSchema, "POST", "/pos/clerk/sign-in", {
      clerk: CLERK.id,
      pin: CLERK.pin,
    });
    expect(signedIn.clerk.id).toBe(CLERK.id);
  });
});

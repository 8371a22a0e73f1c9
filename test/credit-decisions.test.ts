import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreditDecisionListSchema, createIdentity, ManualClock } from "@comptoir/contracts";
import { CLERK, NODE, poll, removeDir, startCounter } from "@comptoir/device/node/testing";
import { afterEach, describe, expect, it } from "vitest";
import { adminApi, startSiteGateway } from "./support/site-gateway.js";

// A real counter node against the real gateway: the gateway's snapshot
// lists a customer's overdue invoices, the counter blocks naming them, and
// the decisions it records reach GET /credit/decisions through its synced
// ledger, beside the gateway's own online checks.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** `days` days before today (UTC), as an ISO date: the gateway counts from its own clock. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe("credit decisions history", () => {
  it("lists the counter's blocked attempt, naming the overdue invoice, from its synced ledger", async () => {
    const root = await mkdtemp(join(tmpdir(), "comptoir-decisions-"));
    cleanups.push(() => removeDir(root));
    const gateway = await startSiteGateway("lyon-1", join(root, "gateway"));
    cleanups.push(() => gateway.stop());
    const api = adminApi(gateway).must;
    const eur = (amount: number) => ({ amount, currency: "EUR" });
    for (const [id, name] of [
      ["acme", "ACME Joinery"],
      ["bistro", "Bistro du Port"],
    ]) {
      await api("POST", "/customers", {
        id,
        name,
        creditLimit: eur(500_000),
        paymentTermsDays: 30,
      });
    }
    await api("POST", "/invoices", {
      number: "F-2026-0012",
      direction: "customer",
      type: "invoice",
      issueDate: daysAgo(75),
      dueDate: daysAgo(45),
      currency: "EUR",
      customer: "acme",
      lines: [{ id: "1", sku: "TABLE", quantity: 2, unitPrice: 30_000, netAmount: 60_000 }],
      netTotal: 60_000,
      vatTotal: 0,
      grossTotal: 60_000,
      amountDue: 60_000,
    });

    const dataDir = join(root, NODE);
    const identity = await createIdentity(dataDir);
    const { mqtt } = (await api("POST", "/nodes", {
      id: NODE,
      publicKey: identity.publicKeyHex,
    })) as { mqtt: { username: string; password: string } };
    const counter = await startCounter(gateway.mqttUrl, {
      dataDir,
      mqtt,
      clock: new ManualClock(new Date()),
    });
    cleanups.push(() => counter.stop());
    for (const customer of ["acme", "bistro"]) {
      await poll(async () => (await counter.call("GET", `/pos/customers/${customer}`)).body.limit, {
        timeout: 15_000,
      }).toBe(500_000);
    }

    const blocked = await counter.call("POST", "/pos/check", { customer: "acme", amount: 10_000 });
    expect(blocked.body.decision).toBe("block");
    expect(blocked.body.reasons).toEqual([
      {
        code: "overdue",
        message: "overdue more than 30 days: F-2026-0012 €600.00 (45 days); €600.00 > floor €50.00",
        items: [{ invoice: "F-2026-0012", open: 60_000, daysOverdue: 45 }],
      },
    ]);
    const approved = await counter.call("POST", "/pos/check", {
      customer: "bistro",
      amount: 10_000,
    });
    expect(approved.body.decision).toBe("approve");
    // The gateway's own online check of the same customer.
    await api("POST", "/credit/check", { customer: "acme", amount: 500 });

    const history = async (query: string) =>
      CreditDecisionListSchema.parse(await api("GET", `/credit/decisions${query}`)).decisions;
    await poll(async () => (await history("?outcome=block&customer=acme")).length, {
      timeout: 15_000,
    }).toBe(2);
    const [check, atCounter] = await history("?outcome=block&customer=acme");
    expect(check).toMatchObject({ source: "check", chain: "gateway", amount: 500 });
    expect(atCounter).toMatchObject({
      source: "counter",
      chain: NODE,
      seq: blocked.body.seq,
      customer: "acme",
      customerName: "ACME Joinery",
      decision: "block",
      amount: 10_000,
      currency: "EUR",
      by: CLERK.id,
      offline: false,
      reasons: blocked.body.reasons,
    });
    await poll(async () => (await history("?customer=bistro")).map((one) => one.decision), {
      timeout: 15_000,
    }).toEqual(["approve"]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { PeriodicReconciliation } from "../index.js";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

const discrepancies = () => s.live.filter((event) => event.type === "discrepancy");

describe("background reconciliation", () => {
  it("announces new discrepancies without anyone asking, each once, at a bounded pace", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    await s.customer("acme");
    await s.product("WID", 1200);
    const periodic = new PeriodicReconciliation({
      store: s.store,
      catalog: s.credit.catalog,
      events: s.events,
      clock: s.clock,
      everyMs: 60_000,
    });
    const dock = s.node("dock-1");
    dock.move("ship", "WID", 2, "2026-03-10T08:00:00.000Z", { order: "SO-1", customer: "acme" });
    dock.sync();

    expect(periodic.maybeRun()).toBe(1);
    expect(discrepancies().map((event) => (event.data as { kind: string }).kind)).toEqual([
      "shipped_not_invoiced",
    ]);
    // Nothing changed: nothing runs, nothing is said twice.
    s.clock.advance(120_000);
    expect(periodic.maybeRun()).toBe(0);

    // An invoice with one item too many: noticed from the invoices table, after the pause.
    const invoice = invoiceJson("F-1", "acme", [["WID", 3, 1200]], { orderRef: "SO-1" });
    expect((await s.call("POST", "/invoices", { body: invoice })).status).toBe(201);
    periodic.changed();
    s.clock.advance(1_000);
    const before = discrepancies().length;
    const announced = periodic.maybeRun();
    const fresh = discrepancies().slice(before);
    expect(announced).toBe(fresh.length);
    // 2 shipped, 3 billed: the missing unit is invoiced_not_shipped.
    expect(fresh.map((event) => (event.data as { kind: string }).kind)).toContain(
      "invoiced_not_shipped",
    );
    periodic.changed();
    s.clock.advance(10_000);
    expect(periodic.maybeRun()).toBe(0); // within the minute: waits
    s.clock.advance(60_000);
    expect(periodic.maybeRun()).toBe(0); // ran, but nothing new to say
    periodic.stop();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  invoiceJson,
  type ReconciliationSetup,
  reconciliationSetup,
} from "../testing/gateway-app.js";
import { type AlertCheck, AnalyticsWatch } from "./watch.js";

let s: ReconciliationSetup;
afterEach(async () => {
  await s?.close();
});

/** A check that counts its runs and "raises" what `next` says. */
function counting(name: string, on: AlertCheck["on"]) {
  const check = { name, on, runs: 0, next: [] as unknown[] };
  return Object.assign(check, {
    check: () => {
      check.runs += 1;
      return check.next;
    },
  });
}

describe("the analytics watch", () => {
  it("runs change checks after goods, invoices or orders change, time checks as time passes", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    await s.customer("acme");
    await s.product("WID", 1200);
    const margins = counting("margins", "change");
    const slow = counting("slow movers", "time");
    let costsMoved = 0;
    const watch = new AnalyticsWatch({
      db: s.store.db,
      checks: [margins, slow],
      clock: s.clock,
      everySeconds: 300,
      afterInvoices: () => {
        costsMoved += 1;
      },
    });

    // First run: everything once.
    watch.run();
    expect([margins.runs, slow.runs]).toEqual([1, 1]);
    // Nothing changed and no time passed: nothing runs.
    s.clock.advance(1_000);
    expect(watch.run()).toBe(0);
    expect([margins.runs, slow.runs]).toEqual([1, 1]);

    // Goods synced: every check runs (a unit that left may clear a slow mover).
    watch.changed();
    watch.run();
    expect([margins.runs, slow.runs]).toEqual([2, 2]);

    // An invoice posted through the API: seen from its table, and the counters' costs are told.
    const invoice = invoiceJson("F-1", "acme", [["WID", 1, 1200]], { orderRef: "SO-1" });
    expect((await s.call("POST", "/invoices", { body: invoice })).status).toBe(201);
    const before = costsMoved;
    margins.next = ["an alert"];
    expect(watch.run()).toBe(1);
    expect([margins.runs, slow.runs]).toEqual([3, 3]);
    expect(costsMoved).toBe(before + 1);

    // Only time passes: the timed check runs, the change checks do not.
    s.clock.advance(300_000);
    margins.next = [];
    watch.run();
    expect([margins.runs, slow.runs]).toEqual([3, 4]);
  });

  it("a failing check does not stop the others", async () => {
    s = await reconciliationSetup("2026-03-20T12:00:00.000Z");
    const after = counting("after", "change");
    const watch = new AnalyticsWatch({
      db: s.store.db,
      checks: [
        {
          name: "broken",
          on: "change",
          check: () => {
            throw new Error("boom");
          },
        },
        after,
      ],
      clock: s.clock,
      everySeconds: 300,
    });
    watch.run();
    expect(after.runs).toBe(1);
  });
});

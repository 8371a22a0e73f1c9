import { CreditDecisionDataSchema } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import {
  type Counter,
  cleanupsAfterEach,
  entries,
  setupCounter,
  snapshot,
  waitForVersion,
} from "./testing/counter.js";

// The counter decides the overdue rule from the items its snapshot lists,
// counting the days itself: the sum of what is MORE than 30 days late
// against the 50.00 floor, each counted invoice named.

const cleanups = cleanupsAfterEach();

const check = (counter: Counter, amount: number) =>
  counter.call("POST", "/pos/check", { customer: "acme", amount });

describe("POS overdue rule from the snapshot's items", () => {
  it("approves 0.40 that is 35 days late beside 600.00 that is 30, and blocks naming both the day the 600.00 turns 31", async () => {
    const { counter, gateway } = await setupCounter(cleanups);
    // The counter's clock reads 2026-11-27T10:00Z.
    await gateway.snapshot(
      snapshot({
        version: 2,
        overdue: 60_040,
        overdueSince: "2026-10-23",
        overdueItems: [
          { invoice: "F-2026-0003", open: 40, dueDate: "2026-10-23" },
          { invoice: "F-2026-0031", open: 60_000, dueDate: "2026-10-28" },
        ],
      }),
    );
    await waitForVersion(counter, 2);

    const today = await check(counter, 10_000);
    expect(today.status).toBe(201);
    expect(today.body.decision).toBe("approve");

    // The next morning, with no new snapshot: the counter ages the items by itself.
    counter.clock.set("2026-11-28T00:30:00.000Z");
    const tomorrow = await check(counter, 10_000);
    expect(tomorrow.body.decision).toBe("block");
    expect(tomorrow.body.reasons).toEqual([
      {
        code: "overdue",
        message:
          "overdue more than 30 days: F-2026-0003 €0.40 (36 days), F-2026-0031 €600.00 (31 days); €600.40 > floor €50.00",
        items: [
          { invoice: "F-2026-0003", open: 40, daysOverdue: 36 },
          { invoice: "F-2026-0031", open: 60_000, daysOverdue: 31 },
        ],
      },
    ]);

    // The ledger keeps the items with the decision, in the entry the gateway syncs.
    const decisions = await entries(counter, "credit-decision");
    const blocked = CreditDecisionDataSchema.parse(decisions.at(-1)?.data);
    expect(blocked.reasons[0]?.items?.map((item) => item.invoice)).toEqual([
      "F-2026-0003",
      "F-2026-0031",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { CreditPolicy } from "../mqtt/messages.js";
import { type CreditStanding, decideCredit } from "./decide.js";

const policy: CreditPolicy = {
  overdueFloor: 5000,
  overdueDays: 30,
  offlineMaxAgeSeconds: 4 * 3600,
  offlineCap: 50000,
  warnBand: 0,
};

/** S4: exposure 4 200.00 at 09:12 on a 5 000.00 limit, 300.00 sold here offline since. */
const snapshot: CreditStanding = {
  currency: "EUR",
  limit: 500000,
  outstanding: 420000,
  overdue: 0,
  overdueSince: null,
  version: 7,
  asOf: "2026-03-02T09:12:00.000Z",
};
const s4 = {
  snapshot,
  pendingOwnSales: 30000,
  amount: 15000,
  policy,
  now: new Date("2026-03-02T10:00:00.000Z"),
  offline: true,
};

describe("decideCredit on a till whose clock is not synchronised", () => {
  it("offline, blocks what S4 approves: the snapshot's age cannot be known, and says why", () => {
    expect(decideCredit(s4).decision).toBe("approve");
    const result = decideCredit({ ...s4, clockUnsynced: true });
    expect(result.decision).toBe("block");
    expect(result.reasons).toEqual([
      {
        code: "offline-stale",
        message:
          "offline, and this till's clock is not synchronised yet (no NTP sync since it started): the age of the credit data from 2026-03-02T09:12:00.000Z cannot be known — sell for cash, or wait for the network",
      },
    ]);
  });

  it("online, decides as usual: the gateway keeps the snapshot current", () => {
    expect(decideCredit({ ...s4, offline: false, clockUnsynced: true }).decision).toBe("approve");
  });
});

import { describe, expect, it } from "vitest";
import type { ClockSyncState } from "../pos/clock-sync.js";
import { cleanupsAfterEach, poll, setupCounter } from "./testing/counter.js";

// A till that booted after a power cut without NTP (a Pi has no real-time clock):
// offline, the age of its credit data cannot be known, so S4's 150.00 is blocked.

const cleanups = cleanupsAfterEach();

describe("POS offline on a till whose clock is not synchronised", () => {
  it("blocks on account with the reason, shows it in the standing, and decides as usual once NTP synced", async () => {
    let os: ClockSyncState = "unsynced";
    const { counter, broker } = await setupCounter(cleanups, {}, async () => os);
    await broker.stop();
    await poll(() => counter.node.sync.connected).toBe(false);

    const check = () => counter.call("POST", "/pos/check", { customer: "acme", amount: 15_000 });
    const blocked = await check();
    expect(blocked.status).toBe(201);
    expect(blocked.body.decision).toBe("block");
    expect(blocked.body.reasons).toEqual([
      {
        code: "offline-stale",
        message: expect.stringContaining("this till's clock is not synchronised yet"),
      },
    ]);
    expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
      offline: true,
      stale: true,
      clockUnsynced: true,
    });

    // NTP synced: the next look at the OS (after its recheck interval) lifts the block.
    os = "synced";
    counter.clock.advance(60_000);
    await poll(async () => (await check()).body.decision).toBe("approve");
    expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
      stale: false,
      clockUnsynced: false,
    });
  });
});

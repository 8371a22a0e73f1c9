import { describe, expect, it } from "vitest";
import {
  type Counter,
  cleanupsAfterEach,
  poll,
  setupCounter,
  snapshot,
  waitForVersion,
} from "./testing/counter.js";

// Credit snapshots reaching a counter over a real embedded broker: a new
// one changes the decision; a bad one is refused and changes nothing.

const cleanups = cleanupsAfterEach();

const decide = async (counter: Counter, amount: number) =>
  (await counter.call("POST", "/pos/check", { customer: "acme", amount })).body;

describe("credit snapshots over MQTT", () => {
  it("a payment's new snapshot turns a block into an approval; bad and older snapshots change nothing", async () => {
    const { counter, gateway } = await setupCounter(cleanups);
    const refused: string[] = [];
    counter.node.sync.on("refused", (_topic, problem) => refused.push(problem));
    expect((await decide(counter, 90_000)).decision).toBe("block");

    // A payment of 1 000.00 is applied at the gateway: exposure 3 200.00.
    await gateway.snapshot(
      snapshot({ version: 2, outstanding: 320_000, asOf: "2026-11-27T09:58:00.000Z" }),
    );
    await waitForVersion(counter, 2);
    const approved = await decide(counter, 90_000);
    expect(approved).toMatchObject({
      decision: "approve",
      figures: { exposure: 320_000, snapshotVersion: 2 },
    });

    // Not JSON, a wrong shape, another customer's figures on acme's topic, an older version.
    await gateway.snapshot("{not json");
    await gateway.snapshot({ ...snapshot({ version: 3 }), limit: 12.5 });
    await gateway.snapshot(snapshot({ version: 4, customer: "other", outstanding: 0 }));
    await poll(() => refused.length).toBe(3);
    expect(refused[0]).toBe("not JSON");
    expect(refused[1]).toContain("limit");
    expect(refused[2]).toContain("snapshot of customer other on the topic of acme");
    await gateway.snapshot(snapshot({ version: 1, outstanding: 499_000 }));
    // Something valid after them, for another customer, shows the older one was processed.
    await gateway.snapshot(
      snapshot({ customer: "bricol", name: "Bricol SARL", version: 1 }),
      "bricol",
    );
    await waitForVersion(counter, 1, "bricol");
    expect((await counter.call("GET", "/pos/customers/acme")).body).toMatchObject({
      version: 2,
      exposure: 320_000,
    });
    expect((await decide(counter, 90_000)).decision).toBe("approve");

    const found = await counter.call("GET", "/pos/customers?q=SARL");
    expect(found.body.customers.map((c: { customer: string }) => c.customer)).toEqual(["bricol"]);
  });

  it("a counter that was offline gets the retained snapshot on reconnect", async () => {
    const { counter, gateway } = await setupCounter(cleanups);
    await counter.node.sync.mqtt.endAsync(true);
    expect(counter.node.sync.connected).toBe(false);
    await gateway.snapshot(snapshot({ version: 5, outstanding: 100_000 }));
    counter.node.sync.mqtt.reconnect();
    await poll(() => counter.node.sync.connected).toBe(true);
    await waitForVersion(counter, 5);
    expect((await counter.call("GET", "/pos/customers/acme")).body.available).toBe(400_000);
  });
});

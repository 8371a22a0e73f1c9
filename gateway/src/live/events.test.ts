import { ManualClock } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { EventHub, type LiveEvent } from "./events.js";

const alert = (message: string) => ({ level: "warning" as const, message });

describe("the live event hub", () => {
  it("numbers events in increasing order and fans them out", () => {
    const hub = new EventHub({ firstId: 100, clock: new ManualClock() });
    const seen: LiveEvent[] = [];
    const stop = hub.subscribe((event) => seen.push(event));
    hub.publish("alert", alert("a"));
    hub.publish("node", { id: "dock-1", change: "enrolled" });
    stop();
    hub.publish("alert", alert("c"));
    expect(seen.map((event) => [event.id, event.type])).toEqual([
      [100, "alert"],
      [101, "node"],
    ]);
    expect(hub.lastId()).toBe(102);
  });

  it("gives a client what it missed while the ring still holds it, else undefined (snapshot)", () => {
    const hub = new EventHub({ firstId: 1, capacity: 3 });
    expect(hub.since(0)).toEqual([]);
    for (const m of ["a", "b", "c", "d", "e"]) hub.publish("alert", alert(m));
    expect(hub.since(2)?.map((event) => event.id)).toEqual([3, 4, 5]);
    expect(hub.since(4)?.map((event) => event.id)).toEqual([5]);
    expect(hub.since(5)).toEqual([]);
    expect(hub.since(1)).toBeUndefined();
    expect(hub.since(6)).toBeUndefined();
  });

  it("starts ids from the clock so that ids keep increasing across a restart", () => {
    const clock = new ManualClock("2026-11-22T09:00:00Z");
    const before = new EventHub({ clock });
    for (let i = 0; i < 50; i++) before.publish("alert", alert(String(i)));
    clock.advance(1);
    const after = new EventHub({ clock });
    const event = after.publish("alert", alert("new"));
    expect(event.id).toBeGreaterThan(before.lastId());
    expect(after.since(before.lastId())).toBeUndefined();
  });
});

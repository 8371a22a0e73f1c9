import { describe, expect, it } from "vitest";
import { cleanupAfterEach, tempDir } from "../testing/broker.js";
import { reorderSite } from "./reorder-testing.js";
import { ReorderWatch } from "./reorder-watch.js";

const defer = cleanupAfterEach();
const T0 = "2026-11-22T09:00:00.000Z";

async function site(rules: Parameters<typeof reorderSite>[2]) {
  const dir = await tempDir(defer, "comptoir-reorder-watch-");
  const s = reorderSite(dir, T0, rules);
  defer(async () => s.store.close());
  const watch = new ReorderWatch({
    store: s.store,
    rules: s.rules,
    alerts: s.alerts,
    clock: s.clock,
    name: (sku) => (sku === "SKU-1" ? "Widget" : undefined),
  });
  return { ...s, watch };
}

const subjects = (alerts: { subject: string; clearedAt: string | null }[]) =>
  alerts.map((alert) => `${alert.clearedAt ? "cleared" : "raised"} ${alert.subject}`);

describe("reorder crossings", () => {
  it("raises once when available stock falls to the point, and not again while it stays at or below", async () => {
    const s = await site([{ sku: "SKU-1", min: 3, pack: 5, hysteresis: 2 }]);
    s.receive("SKU-1", 5);
    expect(s.watch.check()).toEqual([]);
    s.out("SKU-1", 2);
    const raised = s.watch.check();
    expect(subjects(raised)).toEqual(["raised SKU-1"]);
    expect(raised[0]?.message).toBe(
      "SKU-1 (Widget): 3 available (3 on site), at or below its reorder point 3 — order 5 (1 pack of 5) to reach 8",
    );
    expect(raised[0]?.detail).toMatchObject({ onSite: 3, available: 3, point: 3, suggested: 5 });
    s.out("SKU-1", 1);
    expect(s.watch.check()).toEqual([]);
    s.out("SKU-1", 2);
    expect(s.watch.check()).toEqual([]);
    expect(s.alerts.list({ kind: "reorder", all: true })).toHaveLength(1);
    expect(s.analytics()).toHaveLength(1);
  });

  it("climbing back within the hysteresis band and falling again is the same crossing", async () => {
    const s = await site([{ sku: "SKU-1", min: 3, hysteresis: 2 }]);
    s.receive("SKU-1", 3);
    expect(subjects(s.watch.check())).toEqual(["raised SKU-1"]);
    s.receive("SKU-1", 2); // 5 = point + hysteresis: still the same crossing
    expect(s.watch.check()).toEqual([]);
    s.out("SKU-1", 3); // 2
    expect(s.watch.check()).toEqual([]);
    expect(s.alerts.list({ kind: "reorder", all: true })).toHaveLength(1);
    expect(s.alerts.isOpen("reorder", "SKU-1")).toBe(true);
  });

  it("above point + hysteresis clears it, and the next fall raises a second alert", async () => {
    const s = await site([{ sku: "SKU-1", min: 3, hysteresis: 2 }]);
    s.receive("SKU-1", 2);
    expect(subjects(s.watch.check())).toEqual(["raised SKU-1"]);
    s.clock.advance(3_600_000);
    s.receive("SKU-1", 4); // 6 > 3 + 2
    expect(subjects(s.watch.check())).toEqual(["cleared SKU-1"]);
    expect(s.watch.check()).toEqual([]);
    s.clock.advance(3_600_000);
    s.out("SKU-1", 3); // 3
    const second = s.watch.check();
    expect(subjects(second)).toEqual(["raised SKU-1"]);
    expect(second[0]?.raisedAt).toBe("2026-11-22T11:00:00.000Z");
    expect(subjects(s.alerts.list({ kind: "reorder", all: true }))).toEqual([
      "raised SKU-1",
      "cleared SKU-1",
    ]);
    // The live feed told each change: raised, cleared, raised.
    expect(s.analytics()).toHaveLength(3);
  });

  it("a new watch over the same store (a restart) does not raise an open crossing again", async () => {
    const s = await site([{ sku: "SKU-1", min: 3 }]);
    s.receive("SKU-1", 1);
    expect(s.watch.check()).toHaveLength(1);
    const again = new ReorderWatch({
      store: s.store,
      rules: s.rules,
      alerts: s.alerts,
      clock: s.clock,
    });
    expect(again.check()).toEqual([]);
  });

  it("a zone's rule counts that zone's units; its subject is sku@zone", async () => {
    const s = await site([
      { sku: "SKU-1", zone: "pick-a", min: 2 },
      { sku: "SKU-1", min: 2 },
    ]);
    s.receive("SKU-1", 4, "reserve");
    s.receive("SKU-1", 3, "pick-a");
    expect(s.watch.check()).toEqual([]);
    s.out("SKU-1", 1, "pick", "pick-a", "dock"); // 2 left in pick-a, 7 on site
    expect(subjects(s.watch.check())).toEqual(["raised SKU-1@pick-a"]);
  });

  it("clears an open alert whose rule was removed", async () => {
    const s = await site([{ sku: "SKU-1", min: 3 }]);
    s.receive("SKU-1", 1);
    expect(subjects(s.watch.check())).toEqual(["raised SKU-1"]);
    s.rules.replace([], { kind: "system", id: "test" }, () => true);
    expect(subjects(s.watch.check())).toEqual(["cleared SKU-1"]);
  });

  it("a computed point follows demand: units shipped or sold in the window", async () => {
    const s = await site([{ sku: "SKU-2", leadTimeDays: 7, windowDays: 14, safetyStock: 1 }]);
    s.receive("SKU-2", 20);
    s.clock.advance(86_400_000);
    s.out("SKU-2", 6); // 6 in 14 days × 7 = 3, + 1: point 4; 14 left
    s.out("SKU-2", 2, "sale");
    expect(s.watch.check()).toEqual([]); // 8 / 14 × 7 = 4, + 1 = 5 < 12
    s.out("SKU-2", 6); // 14 / 14 × 7 = 7, + 1 = 8 ≥ 6 left
    // The window's demand is read again only once a minute: counts are fresh, the point (5) not yet.
    expect(s.watch.check()).toEqual([]);
    s.clock.advance(60_000);
    const [alert] = s.watch.check();
    expect(alert?.detail).toMatchObject({
      available: 6,
      point: 8,
      target: 16,
      suggested: 10,
      inputs: { averageDailyDemand: 1, windowDays: 14, leadTimeDays: 7, safetyStock: 1 },
    });
    // Out of the window (14 days on), the demand is gone and so is the crossing's point: 0 + 1.
    s.clock.advance(15 * 86_400_000);
    expect(s.watch.check().map((cleared) => cleared.clearedAt)).toEqual([
      "2026-12-08T09:01:00.000Z",
    ]);
  });
});

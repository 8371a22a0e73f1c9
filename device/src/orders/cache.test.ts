import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, type OrderStateMessage } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { OrderCache } from "./cache.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-orders-"));
  dirs.push(dir);
  return dir;
}

function state(
  order: string,
  value: OrderStateMessage["state"],
  version: number,
  asOf = "2026-12-07T08:00:00.000Z",
): OrderStateMessage {
  return {
    order,
    customer: "acme",
    customerName: "ACME",
    state: value,
    reasons: [],
    version,
    asOf,
  };
}

describe("the node's order cache", () => {
  it("keeps the highest version of each order, across a reopen", async () => {
    const dir = await dataDir();
    const cache = await OrderCache.open(dir);
    expect(cache.put(state("SO-1", "held", 2))).toBe(true);
    expect(cache.put(state("SO-1", "approved", 1))).toBe(false);
    expect(cache.put(state("SO-1", "held", 2))).toBe(false);
    expect(cache.put(state("SO-2", "approved", 1))).toBe(true);
    cache.assign("SO-1", "acme");
    expect(cache.markAlerted("SO-1")).toBe(true);
    expect(cache.markAlerted("SO-1")).toBe(false);
    await cache.flush();

    const again = await OrderCache.open(dir);
    expect(again.get("SO-1")).toMatchObject({ state: "held", version: 2 });
    expect(again.get("SO-2")).toMatchObject({ state: "approved", version: 1 });
    expect(again.assignment()).toEqual({
      order: "SO-1",
      customer: "acme",
      assignment: 1,
      alerted: ["SO-1"],
    });
    // A new assignment starts with nothing alerted.
    expect(again.assign("SO-1", "acme")).toMatchObject({ assignment: 2, alerted: [] });
  });

  it("forgets finished orders after the keep time, never the dock's, and caps its size", async () => {
    const dir = await dataDir();
    const clock = new ManualClock("2026-12-07T09:00:00.000Z");
    const cache = await OrderCache.open(dir, { clock, keepFinishedDays: 30, maxOrders: 3 });
    cache.put(state("SO-OLD", "shipped", 1, "2026-10-01T00:00:00.000Z"));
    cache.assign("SO-DOCK", null);
    cache.put(state("SO-DOCK", "cancelled", 1, "2026-10-01T00:00:00.000Z"));
    cache.put(state("SO-HELD", "held", 1, "2026-10-01T00:00:00.000Z"));
    expect(cache.get("SO-OLD")).toBeUndefined();
    expect(cache.get("SO-DOCK")).toBeDefined();
    expect(cache.get("SO-HELD")).toBeDefined();
    cache.put(state("SO-A", "approved", 1, "2026-12-01T00:00:00.000Z"));
    cache.put(state("SO-B", "approved", 1, "2026-12-02T00:00:00.000Z"));
    // Past 3 orders the oldest state goes first, never the dock's.
    expect(cache.size).toBe(3);
    expect(cache.get("SO-HELD")).toBeUndefined();
    expect(cache.get("SO-DOCK")).toBeDefined();
    // The background write finishes before the directory is removed.
    await cache.flush();
  });

  it("forgets a finished order whose keep time passes while it runs, at the next sweep", async () => {
    const dir = await dataDir();
    const clock = new ManualClock("2026-12-07T09:00:00.000Z");
    const cache = await OrderCache.open(dir, { clock, keepFinishedDays: 30 });
    cache.put(state("SO-DONE", "shipped", 1, "2026-11-07T10:00:00.000Z"));
    cache.put(state("SO-OPEN", "approved", 1, "2026-11-07T10:00:00.000Z"));
    expect(cache.get("SO-DONE")).toBeDefined();
    // A day later SO-DONE is past the keep time; the next state after the hourly sweep is due drops it.
    clock.advance(24 * 60 * 60 * 1000);
    cache.put(state("SO-NEW", "approved", 1, "2026-12-08T09:00:00.000Z"));
    expect(cache.get("SO-DONE")).toBeUndefined();
    expect(cache.get("SO-OPEN")).toBeDefined();
    expect(cache.size).toBe(2);
    await cache.flush();
  });

  it("starts empty from a file it cannot read, and writes a good one", async () => {
    const dir = await dataDir();
    await writeFile(join(dir, "orders.json"), '{"orders": [{"order": 1}]}');
    const cache = await OrderCache.open(dir);
    expect(cache.size).toBe(0);
    expect(cache.assignment().order).toBeNull();
    cache.put(state("SO-1", "held", 1));
    await cache.flush();
    expect(JSON.parse(await readFile(join(dir, "orders.json"), "utf8")).orders).toHaveLength(1);
  });
});

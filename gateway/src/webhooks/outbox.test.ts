import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Outbox } from "./outbox.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function openDb() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-outbox-"));
  dirs.push(dir);
  return new Database(join(dir, "gateway.db"));
}

const subscriptions = [
  { id: "erp", events: ["payment.applied", "invoice.imported"] as const },
  { id: "all", events: ["*"] as const },
];

function queues(db: Database.Database) {
  return db
    .prepare<[], { subscription: string; type: string; data: string; state: string }>(
      `SELECT d.subscription, e.type, e.data, d.state FROM webhook_deliveries d
       JOIN webhook_events e ON e.id = d.event ORDER BY d.subscription, e.id`,
    )
    .all();
}

describe("Outbox", () => {
  it("stores one event and one pending delivery per subscription whose filter matches", async () => {
    const db = await openDb();
    const outbox = new Outbox(db, {
      subscriptions,
      clock: new ManualClock("2026-12-07T10:00:00Z"),
    });
    outbox.enqueue("payment.applied", { payment: "P1" });
    outbox.enqueue("node.offline", { node: "n1" });
    expect(queues(db)).toEqual([
      { subscription: "all", type: "payment.applied", data: '{"payment":"P1"}', state: "pending" },
      { subscription: "all", type: "node.offline", data: '{"node":"n1"}', state: "pending" },
      { subscription: "erp", type: "payment.applied", data: '{"payment":"P1"}', state: "pending" },
    ]);
    const event = db
      .prepare<[], { occurred_at: string }>("SELECT occurred_at FROM webhook_events LIMIT 1")
      .get();
    expect(event?.occurred_at).toBe("2026-12-07T10:00:00.000Z");
  });

  it("commits with the caller's transaction, and vanishes when it rolls back", async () => {
    const db = await openDb();
    db.exec("CREATE TABLE payments (id TEXT PRIMARY KEY)");
    const outbox = new Outbox(db, { subscriptions });
    const apply = db.transaction((id: string, fail: boolean) => {
      db.prepare("INSERT INTO payments (id) VALUES (?)").run(id);
      outbox.enqueue("payment.applied", { payment: id });
      if (fail) throw new Error("refused after the event was enqueued");
    });
    apply("P1", false);
    expect(() => apply("P2", true)).toThrow("refused");
    expect(db.prepare("SELECT id FROM payments").all()).toEqual([{ id: "P1" }]);
    expect(queues(db).map((row) => row.data)).toEqual(['{"payment":"P1"}', '{"payment":"P1"}']);
  });

  it("stores nothing when no subscription wants the event", async () => {
    const db = await openDb();
    const outbox = new Outbox(db, { subscriptions: [] });
    outbox.enqueue("stock.adjusted", { sku: "A" });
    expect(outbox.wants("stock.adjusted")).toBe(false);
    expect(db.prepare("SELECT COUNT(*) AS n FROM webhook_events").get()).toEqual({ n: 0 });
  });

  it("wakes its listeners once, after the enqueuing transaction has committed", async () => {
    const db = await openDb();
    const outbox = new Outbox(db, { subscriptions });
    const seenAtWake: number[] = [];
    outbox.onEnqueued(() => {
      const row = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM webhook_events").get();
      seenAtWake.push(row?.n ?? -1);
    });
    db.transaction(() => {
      outbox.enqueue("invoice.imported", { invoice: "F1" });
      outbox.enqueue("invoice.imported", { invoice: "F2" });
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seenAtWake).toEqual([2]);
  });
});

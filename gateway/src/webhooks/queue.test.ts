import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@comptoir/contracts";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookAdmin } from "./admin.js";
import { Outbox } from "./outbox.js";
import { DeliveryQueue } from "./queue.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("DeliveryQueue.prune", () => {
  it("deletes what was delivered before the cutoff, and keeps pending events and dead letters", async () => {
    const dir = await mkdtemp(join(tmpdir(), "comptoir-webhook-prune-"));
    dirs.push(dir);
    const db = new Database(join(dir, "gateway.db"));
    const clock = new ManualClock("2026-11-01T08:00:00Z");
    const subscriptions = [{ id: "erp", url: "http://erp.example/", events: ["*" as const] }];
    const outbox = new Outbox(db, { subscriptions, clock });
    const queue = new DeliveryQueue(db);
    const admin = new WebhookAdmin(db, subscriptions, { clock });
    for (const n of [1, 2, 3]) outbox.enqueue("stock.adjusted", { n });
    const first = queue.head("erp");
    if (!first) throw new Error("nothing queued");
    queue.delivered(first, clock.now());
    const second = queue.head("erp");
    if (!second) throw new Error("nothing queued");
    queue.failed(second, "HTTP 500", clock.now(), { dead: true });

    clock.advance(40 * 86_400_000);
    outbox.enqueue("stock.adjusted", { n: 4 });
    const fourth = db
      .prepare<[], { id: number }>("SELECT id FROM webhook_deliveries ORDER BY id DESC LIMIT 1")
      .get();
    db.prepare(
      "UPDATE webhook_deliveries SET state = 'delivered', delivered_at = ? WHERE id = ?",
    ).run(clock.now().toISOString(), fourth?.id);

    expect(queue.prune(new Date(clock.now().getTime() - 30 * 86_400_000))).toEqual({
      deliveries: 1,
      events: 1,
    });
    const left = db
      .prepare<[], { data: string }>("SELECT data FROM webhook_events ORDER BY id")
      .all()
      .map((row) => row.data);
    expect(left).toEqual(['{"n":2}', '{"n":3}', '{"n":4}']);
    expect(admin.deadLetters({ limit: 10 }).map((d) => d.event.data)).toEqual([{ n: 2 }]);
    expect(queue.head("erp")?.data).toBe('{"n":3}');
    // A new event after pruning never takes a deleted one's id.
    outbox.enqueue("stock.adjusted", { n: 5 });
    const ids = db.prepare<[], { id: number }>("SELECT id FROM webhook_events ORDER BY id").all();
    expect(ids.map((row) => row.id)).toEqual([2, 3, 4, 5]);
  });
});

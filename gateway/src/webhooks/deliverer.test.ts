import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, ManualClock } from "@comptoir/contracts";
import { WebhookDeliveryConfigSchema } from "@comptoir/firmware-config";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../testing/webhook-receiver.js";
import { WebhookAdmin } from "./admin.js";
import { WebhookDeliverer } from "./deliverer.js";
import { Outbox } from "./outbox.js";

const SECRET = "a-test-secret-of-32-characters!!";
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Tiny backoffs, through the config schema as an operator would write them. */
const fast = (overrides: Record<string, number> = {}) =>
  WebhookDeliveryConfigSchema.parse({
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    pollMs: 50,
    timeoutMs: 2000,
    maxAttempts: 10,
    ...overrides,
  });

async function setup(
  receivers: Record<string, WebhookReceiver>,
  delivery = fast(),
  clock?: Clock,
): Promise<{ db: Database.Database; outbox: Outbox; admin: WebhookAdmin }> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-webhooks-"));
  const db = new Database(join(dir, "gateway.db"));
  db.pragma("journal_mode = WAL");
  const subscriptions = Object.entries(receivers).map(([id, receiver]) => ({
    id,
    url: receiver.url,
    secret: SECRET,
    events: ["*" as const],
  }));
  const outbox = new Outbox(db, { subscriptions, ...(clock ? { clock } : {}) });
  const deliverer = new WebhookDeliverer(db, {
    subscriptions,
    delivery,
    ...(clock ? { clock } : {}),
  });
  const admin = new WebhookAdmin(db, subscriptions, { wake: () => deliverer.wake() });
  outbox.onEnqueued(() => deliverer.wake());
  deliverer.start();
  cleanups.push(async () => {
    await deliverer.stop();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (const receiver of Object.values(receivers)) cleanups.push(() => receiver.close());
  return { db, outbox, admin };
}

describe("webhook delivery to a real receiver", () => {
  it("retries a receiver that fails, then delivers every event in commit order, each try with the same Idempotency-Key", async () => {
    const receiver = await startWebhookReceiver((request) => ({
      status: request.n <= 3 ? 503 : 200,
    }));
    const { outbox, admin } = await setup({ erp: receiver });
    outbox.enqueue("payment.applied", { payment: "P1" });
    outbox.enqueue("invoice.imported", { invoice: "F1" });
    outbox.enqueue("payment.applied", { payment: "P2" });
    await receiver.until(() => receiver.accepted().length === 3);

    // Three refusals of the first event, which held the others back; then each in order.
    expect(receiver.received.map((r) => [r.body.type, r.status])).toEqual([
      ["payment.applied", 503],
      ["payment.applied", 503],
      ["payment.applied", 503],
      ["payment.applied", 200],
      ["invoice.imported", 200],
      ["payment.applied", 200],
    ]);
    expect(receiver.accepted().map((r) => r.body.data)).toEqual([
      { payment: "P1" },
      { invoice: "F1" },
      { payment: "P2" },
    ]);
    const firstKeys = receiver.received.slice(0, 4).map((r) => r.headers["idempotency-key"]);
    expect(new Set(firstKeys).size).toBe(1);
    expect(firstKeys[0]).toBe(receiver.received[0]?.body.id);
    const keys = receiver.accepted().map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(3);
    expect(receiver.received[0]?.headers["comptoir-event"]).toBe("payment.applied");
    expect(receiver.received[0]?.headers["comptoir-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    // The receiver answered; the deliverer records it just after.
    await vi.waitFor(() => expect(admin.list()[0]?.queue).toEqual({ pending: 0, dead: 0 }));
    const [status] = admin.list();
    expect(status?.lastError?.message).toBe("HTTP 503: refused by the test receiver (503)");
    expect(status?.lastDelivery?.seq).toBe(3);
  });

  it("gives up on a POST that does not answer in time and sends the event again, with the same key", async () => {
    // The first request never gets an answer.
    const slow = await startWebhookReceiver((request) =>
      request.n === 1 ? "hang" : { status: 200 },
    );
    const { outbox, admin } = await setup({ slow }, fast({ timeoutMs: 200 }));
    outbox.enqueue("stock.adjusted", { sku: "A", delta: 1 });
    outbox.enqueue("stock.adjusted", { sku: "B", delta: 2 });
    await slow.until(() => slow.accepted().length === 2);

    const keys = slow.received.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toBe(keys[1]);
    expect(slow.received.map((r) => r.body.data)).toEqual([
      { sku: "A", delta: 1 },
      { sku: "A", delta: 1 },
      { sku: "B", delta: 2 },
    ]);
    await vi.waitFor(() =>
      expect(admin.list()[0]?.lastError?.message).toBe("no answer within 200 ms"),
    );
  });

  it("never holds up a subscription behind another one's slow receiver", async () => {
    const quick = await startWebhookReceiver();
    // The slow receiver answers its first request only once the quick one has both events.
    const slow = await startWebhookReceiver((request) =>
      request.n === 1
        ? { status: 200, hold: quick.until(() => quick.accepted().length === 2) }
        : { status: 200 },
    );
    const { outbox } = await setup({ slow, quick }, fast({ timeoutMs: 60_000 }));
    outbox.enqueue("credit.changed", { customer: "C-1" });
    outbox.enqueue("credit.changed", { customer: "C-2" });
    await slow.until(() => slow.accepted().length === 2);
    // Had the quick subscription waited for the slow one, neither would have got anything.
    expect(quick.accepted().map((r) => r.body.data)).toEqual([
      { customer: "C-1" },
      { customer: "C-2" },
    ]);
    expect(slow.received.map((r) => r.body.data)).toEqual([
      { customer: "C-1" },
      { customer: "C-2" },
    ]);
  });

  it("parks an event refused forever in the dead letters, lets the next ones through, and delivers it again on replay with its original id", async () => {
    const receiver = await startWebhookReceiver((request) =>
      request.body.type === "order.held" ? { status: 500 } : { status: 200 },
    );
    const { outbox, admin } = await setup({ erp: receiver }, fast({ maxAttempts: 3 }));
    outbox.enqueue("order.held", { order: "SO-1" });
    outbox.enqueue("order.released", { order: "SO-2" });
    await receiver.until(() => receiver.accepted().length === 1);

    expect(receiver.received.map((r) => r.body.type)).toEqual([
      "order.held",
      "order.held",
      "order.held",
      "order.released",
    ]);
    const [dead] = admin.deadLetters({ limit: 10 });
    expect(dead).toMatchObject({
      subscription: "erp",
      attempts: 3,
      lastError: "HTTP 500: refused by the test receiver (500)",
      event: { type: "order.held", data: { order: "SO-1" }, seq: 1 },
    });
    await vi.waitFor(() => expect(admin.list()[0]?.queue).toEqual({ pending: 0, dead: 1 }));

    // The receiver is fixed; the admin replays.
    receiver.behave(() => ({ status: 200 }));
    const original = receiver.received[0]?.body;
    expect(admin.replay(dead?.id ?? 0)).toMatchObject({ kind: "replayed" });
    await receiver.until(() => receiver.accepted().length === 2);
    const replayed = receiver.accepted()[1];
    expect(replayed?.body).toEqual(original);
    expect(replayed?.headers["idempotency-key"]).toBe(original?.id);
    expect(admin.deadLetters({ limit: 10 })).toEqual([]);
    await vi.waitFor(() => expect(admin.list()[0]?.queue).toEqual({ pending: 0, dead: 0 }));
    expect(admin.replay(dead?.id ?? 0)).toEqual({ kind: "not-dead", state: "delivered" });
  });

  it("on stop, abandons a POST in flight without counting it, and the next start sends it with the same key", async () => {
    const receiver = await startWebhookReceiver((request) =>
      request.n === 1 ? "hang" : { status: 200 },
    );
    cleanups.push(() => receiver.close());
    const dir = await mkdtemp(join(tmpdir(), "comptoir-webhooks-stop-"));
    const db = new Database(join(dir, "gateway.db"));
    cleanups.push(async () => {
      db.close();
      await rm(dir, { recursive: true, force: true });
    });
    const subscriptions = [
      { id: "erp", url: receiver.url, secret: SECRET, events: ["*" as const] },
    ];
    const outbox = new Outbox(db, { subscriptions });
    const admin = new WebhookAdmin(db, subscriptions);
    const delivery = fast({ timeoutMs: 60_000 });
    outbox.enqueue("node.broken", { node: "dock-1", seq: 7 });
    const first = new WebhookDeliverer(db, { subscriptions, delivery });
    first.start();
    await receiver.until(() => receiver.received.length === 1);
    await first.stop();
    expect(admin.list()[0]?.head).toMatchObject({ seq: 1, attempts: 0 });

    const second = new WebhookDeliverer(db, { subscriptions, delivery });
    second.start();
    cleanups.push(() => second.stop());
    await receiver.until(() => receiver.accepted().length === 1);
    expect(receiver.received.map((r) => r.headers["idempotency-key"])).toEqual([
      receiver.received[0]?.body.id,
      receiver.received[0]?.body.id,
    ]);
  });

  it("waits for a retry on the injected clock, and retries at once when the clock was set back further than any backoff", async () => {
    const clock = new ManualClock("2026-12-07T10:00:00Z");
    const receiver = await startWebhookReceiver((request) => ({
      status: request.n === 1 ? 503 : 200,
    }));
    const { outbox, admin } = await setup(
      { erp: receiver },
      fast({ backoffBaseMs: 60_000, backoffMaxMs: 60_000 }),
      clock,
    );
    outbox.enqueue("margin.alert", { sku: "A" });
    await vi.waitFor(() => expect(admin.list()[0]?.head?.attempts).toBe(1));
    // The clock has not moved: the retry, up to a minute away, is not due.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.received).toHaveLength(1);
    clock.advance(-3_600_000);
    await receiver.until(() => receiver.accepted().length === 1);
    expect(receiver.received).toHaveLength(2);
  });

  it("takes a connection refused as a failure to retry, with the reason shown", async () => {
    const receiver = await startWebhookReceiver();
    const url = receiver.url;
    await receiver.close();
    const { outbox, admin } = await setup({ gone: { ...receiver, url } }, fast({ maxAttempts: 2 }));
    outbox.enqueue("node.offline", { node: "dock-1" });
    await vi.waitFor(() => expect(admin.list()[0]?.queue.dead).toBe(1), { timeout: 4000 });
    expect(admin.deadLetters({ limit: 1 })[0]?.lastError).toMatch(/ECONNREFUSED/);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { TokenStore } from "../../auth/tokens.js";
import { GatewayLedger } from "../../ledger/gateway-ledger.js";
import { Store } from "../../store/store.js";
import { WebhookAdmin } from "../../webhooks/admin.js";
import { Outbox } from "../../webhooks/outbox.js";
import { DeliveryQueue } from "../../webhooks/queue.js";
import { createGatewayApp } from "../app.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const SUBSCRIPTIONS = [
  {
    id: "erp",
    url: "https://hooks:s3cret-in-url@erp.example/comptoir",
    secret: "never-shown-secret-0123456789",
    events: ["payment.applied" as const, "order.held" as const],
  },
  {
    id: "bi",
    url: "http://bi.example/in",
    secret: "another-secret-0123456789",
    events: ["*" as const],
  },
];

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-webhook-routes-"));
  dirs.push(dir);
  const clock = new ManualClock("2026-12-07T10:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const admin = tokens.create("admin", "admin", { kind: "system", id: "test" }).token;
  const accounting = tokens.create("accounting", "acc", { kind: "system", id: "test" }).token;
  let wakes = 0;
  const webhookAdmin = new WebhookAdmin(store.db, SUBSCRIPTIONS, { clock, wake: () => wakes++ });
  const outbox = new Outbox(store.db, { subscriptions: SUBSCRIPTIONS, clock });
  const app = createGatewayApp({ store, ledger, tokens, clock, webhookAdmin });
  const call = async (method: string, path: string, token = admin, body?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text() };
  };
  /** Makes the head of a subscription's queue a dead letter, as the deliverer would after its last try. */
  const kill = (subscription: string, error: string) => {
    const queue = new DeliveryQueue(store.db);
    const head = queue.head(subscription);
    if (!head) throw new Error(`nothing pending for ${subscription}`);
    queue.failed(head, error, clock.now(), { dead: true });
    return head;
  };
  const rows = () => JSON.stringify(store.db.prepare("SELECT * FROM webhook_deliveries").all());
  return { call, outbox, kill, clock, accounting, rows, wakes: () => wakes };
}

describe("/webhooks", () => {
  it("lists each configured subscription with its queue, never its secret nor the password in its URL", async () => {
    const { call, outbox, kill, clock } = await setup();
    outbox.enqueue("payment.applied", { payment: "P1" });
    outbox.enqueue("order.held", { order: "SO-1" });
    outbox.enqueue("stock.adjusted", { sku: "A" });
    clock.advance(60_000);
    kill("erp", "HTTP 500: down for maintenance");

    const res = await call("GET", "/webhooks");
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("secret");
    expect(res.text).not.toContain("s3cret-in-url");
    const { subscriptions } = JSON.parse(res.text);
    expect(subscriptions).toEqual([
      {
        id: "erp",
        url: "https://erp.example/comptoir",
        events: ["payment.applied", "order.held"],
        queue: { pending: 1, dead: 1 },
        oldestPendingAt: "2026-12-07T10:00:00.000Z",
        head: { seq: 2, attempts: 0, nextAttemptAt: "2026-12-07T10:00:00.000Z" },
        lastDelivery: null,
        lastError: { at: "2026-12-07T10:01:00.000Z", message: "HTTP 500: down for maintenance" },
      },
      {
        id: "bi",
        url: "http://bi.example/in",
        events: ["*"],
        queue: { pending: 3, dead: 0 },
        oldestPendingAt: "2026-12-07T10:00:00.000Z",
        head: { seq: 1, attempts: 0, nextAttemptAt: "2026-12-07T10:00:00.000Z" },
        lastDelivery: null,
        lastError: null,
      },
    ]);
  });

  it("lists the dead letters with the event as it will be sent again, and replays one", async () => {
    const { call, outbox, kill, accounting, wakes } = await setup();
    outbox.enqueue("payment.applied", { payment: "P1", amount: 12_000 });
    const head = kill("erp", "HTTP 410: gone");

    const list = await call("GET", "/webhooks/dead-letters?subscription=erp", accounting);
    expect(list.status).toBe(200);
    const { deadLetters } = JSON.parse(list.text);
    expect(deadLetters).toEqual([
      {
        id: head.id,
        subscription: "erp",
        event: {
          id: head.key,
          seq: 1,
          type: "payment.applied",
          occurredAt: "2026-12-07T10:00:00.000Z",
          data: { payment: "P1", amount: 12_000 },
        },
        attempts: 1,
        lastError: "HTTP 410: gone",
        lastAttemptAt: "2026-12-07T10:00:00.000Z",
        deadAt: "2026-12-07T10:00:00.000Z",
      },
    ]);
    expect(JSON.parse((await call("GET", "/webhooks/dead-letters?subscription=bi")).text)).toEqual({
      deadLetters: [],
    });

    const replay = await call("POST", `/webhooks/dead-letters/${head.id}/replay`);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.text)).toMatchObject({
      state: "pending",
      replayed: { id: head.id, event: { id: head.key } },
    });
    expect(wakes()).toBe(1);
    expect(JSON.parse((await call("GET", "/webhooks/dead-letters")).text).deadLetters).toEqual([]);
    expect(JSON.parse((await call("GET", "/webhooks")).text).subscriptions[0].queue).toEqual({
      pending: 1,
      dead: 0,
    });
  });

  it("gives each subscription's pending and dead events to Prometheus", async () => {
    const { call, outbox, kill } = await setup();
    outbox.enqueue("payment.applied", { payment: "P1" });
    outbox.enqueue("payment.applied", { payment: "P2" });
    kill("erp", "HTTP 500");
    const metrics = await call("GET", "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('comptoir_webhook_events{subscription="erp",state="pending"} 1');
    expect(metrics.text).toContain('comptoir_webhook_events{subscription="erp",state="dead"} 1');
    expect(metrics.text).toContain('comptoir_webhook_events{subscription="bi",state="pending"} 2');
  });

  it("replays every dead letter of a subscription at once, in commit order", async () => {
    const { call, outbox, kill, rows } = await setup();
    for (const payment of ["P1", "P2", "P3"]) {
      outbox.enqueue("payment.applied", { payment });
      kill("erp", "connection refused (ECONNREFUSED)");
    }
    kill("bi", "HTTP 500");
    const before = rows();
    const bad = await call("POST", "/webhooks/dead-letters/replay", undefined, {
      subscriptions: "erp",
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toContain("subscriptions");
    expect(rows()).toBe(before);

    const res = await call("POST", "/webhooks/dead-letters/replay", undefined, {
      subscription: "erp",
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ replayed: 3 });
    const [erp, bi] = JSON.parse((await call("GET", "/webhooks")).text).subscriptions;
    expect(erp.queue).toEqual({ pending: 3, dead: 0 });
    expect(erp.head).toMatchObject({ seq: 1, attempts: 0 });
    expect(bi.queue).toEqual({ pending: 2, dead: 1 });
  });

  it("refuses a replay of what is not a dead letter, and changes nothing", async () => {
    const { call, outbox, rows } = await setup();
    outbox.enqueue("payment.applied", { payment: "P1" });
    const before = rows();

    const pending = await call("POST", "/webhooks/dead-letters/1/replay");
    expect(pending.status).toBe(409);
    expect(JSON.parse(pending.text).error).toMatchObject({
      code: "conflict",
      message: "delivery 1 is pending, not dead: only a dead letter can be replayed",
    });
    const missing = await call("POST", "/webhooks/dead-letters/999/replay");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error.message).toBe("no dead letter 999");
    const bad = await call("POST", "/webhooks/dead-letters/abc/replay");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.path).toBe("id");
    const badQuery = await call("GET", "/webhooks/dead-letters?limit=0&colour=red");
    expect(badQuery.status).toBe(400);
    expect(badQuery.text).toContain("limit");
    expect(badQuery.text).toContain("colour");
    expect(rows()).toBe(before);
  });
});

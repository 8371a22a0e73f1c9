import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebhookDeliveryConfigSchema } from "@comptoir/firmware-config";
import { Outbox, Store, WebhookDeliverer } from "@comptoir/gateway";
import { type Bench, percentile, result } from "./result.js";
import { type BenchReceiver, startBenchReceiver } from "./webhook-receiver.js";

const RATE = 100;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A payment.applied-sized event: what the ERP mostly gets back. */
function eventData(i: number) {
  return {
    i,
    payment: `P-${i}`,
    customer: `C-${i % 500}`,
    amount: 12_000 + i,
    currency: "EUR",
    allocations: [{ invoice: `F-${i}`, amount: 12_000 + i, letter: `L${i}`, rule: "reference" }],
    by: { kind: "system", id: "bench" },
  };
}

/** The baseline: the same events POSTed one after the other, nothing stored, nothing signed. */
async function bareLoopRate(receiver: BenchReceiver, count: number): Promise<number> {
  const started = now();
  for (let i = 0; i < count; i++) {
    const response = await fetch(receiver.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ i, type: "payment.applied", data: eventData(i) }),
    });
    await response.arrayBuffer();
  }
  return count / ((now() - started) / 1000);
}

/** The baseline's latency: each POST sent at its scheduled time, to its arrival. */
async function bareLoopLatencies(receiver: BenchReceiver, seconds: number): Promise<number[]> {
  receiver.reset();
  const total = RATE * seconds;
  const sentAt: number[] = [];
  const start = now() + 20;
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / RATE - now();
    if (wait > 0) await sleep(wait);
    sentAt[i] = now();
    void fetch(receiver.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ i, data: eventData(i) }),
    }).then((response) => response.arrayBuffer());
  }
  await receiver.arrived(total);
  const { arrivals } = await receiver.report();
  return sentAt.map((at, i) => (arrivals.get(i) ?? Number.POSITIVE_INFINITY) - at);
}

/** A gateway store with one subscription to the receiver, and its deliverer (not started). */
async function outboxOn(receiver: BenchReceiver) {
  const root = await mkdtemp(join(tmpdir(), "comptoir-bench-webhooks-"));
  const store = new Store(join(root, "gateway.db"));
  const subscriptions = [
    {
      id: "erp",
      url: receiver.url,
      secret: "bench-secret-0123456789abcdef",
      events: ["*" as const],
    },
  ];
  const outbox = new Outbox(store.db, { subscriptions });
  const deliverer = new WebhookDeliverer(store.db, {
    subscriptions,
    delivery: WebhookDeliveryConfigSchema.parse({}),
  });
  outbox.onEnqueued(() => deliverer.wake());
  return {
    store,
    outbox,
    deliverer,
    async close() {
      await deliverer.stop();
      store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const webhooksBench: Bench = {
  name: "webhooks",
  summary:
    "outbound webhooks: events delivered per second from the durable outbox (one subscription, in commit order) next to a bare HTTP POST loop; commit-to-delivery p99 at 100 events/s",
  async run({ quick, log }) {
    const count = quick ? 500 : 3000;
    const seconds = quick ? 3 : 20;
    const receiver = await startBenchReceiver();
    try {
      // Warm up the connection and the JIT on both paths before measuring.
      await bareLoopRate(receiver, 50);
      log(`webhooks: bare POST loop, ${count} events`);
      const bareRate = await bareLoopRate(receiver, count);

      log(`webhooks: ${count} events from the outbox`);
      receiver.reset();
      const drain = await outboxOn(receiver);
      let deliveredRate: number;
      try {
        drain.store.db.transaction(() => {
          for (let i = 0; i < count; i++) drain.outbox.enqueue("payment.applied", eventData(i));
        })();
        const started = now();
        drain.deliverer.start();
        await receiver.arrived(count);
        deliveredRate = count / ((now() - started) / 1000);
      } finally {
        await drain.close();
      }

      log(`webhooks: bare POSTs at ${RATE}/s for ${seconds} s`);
      const bare = (await bareLoopLatencies(receiver, seconds)).sort((a, b) => a - b);

      log(`webhooks: events committed at ${RATE}/s for ${seconds} s`);
      receiver.reset();
      const live = await outboxOn(receiver);
      const committedAt: number[] = [];
      const total = RATE * seconds;
      try {
        live.deliverer.start();
        const start = now() + 20;
        for (let i = 0; i < total; i++) {
          const wait = start + (i * 1000) / RATE - now();
          if (wait > 0) await sleep(wait);
          // As a service does: the event in the transaction of its change; the clock runs from its commit.
          live.store.db.transaction(() => live.outbox.enqueue("payment.applied", eventData(i)))();
          committedAt[i] = now();
        }
        await receiver.arrived(total);
      } finally {
        await live.close();
      }
      const { arrivals } = await receiver.report();
      const latencies = committedAt
        .map((at, i) => (arrivals.get(i) ?? Number.POSITIVE_INFINITY) - at)
        .sort((a, b) => a - b);

      return [
        result("delivered, one subscription in commit order", deliveredRate, "events/s", bareRate),
        result(
          `commit to delivery p50 at ${RATE} events/s`,
          percentile(latencies, 50),
          "ms",
          percentile(bare, 50),
        ),
        result(
          `commit to delivery p99 at ${RATE} events/s`,
          percentile(latencies, 99),
          "ms",
          percentile(bare, 99),
          { atMost: 200 },
        ),
      ];
    } finally {
      await receiver.close();
    }
  },
};

import { siteTopics } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { type BusHandler, type GatewayBus, topicMatches } from "../bus/bus.js";
import type { IngestOutcome } from "./ingest.js";
import { type BatchHandler, MqttIngest } from "./mqtt-ingest.js";

const topics = siteTopics("s1");

/** A bus in memory: what the glue subscribes to, and what it publishes. */
class MemoryBus implements GatewayBus {
  readonly published: { topic: string; payload: string }[] = [];
  private readonly handlers: { filter: string; handler: BusHandler }[] = [];
  async subscribe(filter: string, handler: BusHandler): Promise<void> {
    this.handlers.push({ filter, handler });
  }
  async publish(topic: string, payload: string | Buffer): Promise<void> {
    this.published.push({ topic, payload: payload.toString() });
  }
  async close(): Promise<void> {}
  deliver(topic: string, payload: string): void {
    for (const { filter, handler } of this.handlers)
      if (topicMatches(filter, topic)) handler(topic, Buffer.from(payload));
  }
  acks(node: string): unknown[] {
    return this.published
      .filter((message) => message.topic === topics.nodeAck(node))
      .map((message) => JSON.parse(message.payload));
  }
}

const online = (node: string) =>
  JSON.stringify({
    state: "online",
    node,
    version: "0.1.0",
    headSeq: 12,
    ackedSeq: 10,
    readers: [{ id: "door", state: "reading" }],
    ts: "2026-11-22T10:00:00.000Z",
  });

describe("MQTT ingest glue", () => {
  it("answers each outcome on the node's ack topic: ack, resend, broken (ack what was stored), ignored (nothing)", async () => {
    const bus = new MemoryBus();
    const outcomes: IngestOutcome[] = [
      { kind: "ack", seq: 7, stored: 7 },
      { kind: "resend", from: 8, reason: "seq 8-9 did not arrive" },
      { kind: "broken", seq: 12, reason: "bad hash", detail: "", ack: 11, stored: 3 },
      { kind: "ignored", reason: "chain broken at seq 12" },
    ];
    const seen: string[] = [];
    const ingest: BatchHandler = {
      handleBatch(node, payload) {
        seen.push(`${node}:${payload.toString()}`);
        return outcomes.shift() as IngestOutcome;
      },
    };
    const glue = await MqttIngest.start({ bus, site: "s1", ingest });
    for (const n of [1, 2, 3, 4]) bus.deliver(topics.nodeLedger("dock-1"), `batch ${n}`);
    await glue.idle();
    expect(seen).toEqual(["dock-1:batch 1", "dock-1:batch 2", "dock-1:batch 3", "dock-1:batch 4"]);
    expect(bus.acks("dock-1")).toEqual([
      { type: "ack", seq: 7 },
      { type: "resend", from: 8, reason: "seq 8-9 did not arrive" },
      { type: "ack", seq: 11 },
    ]);
  });

  it("handles one node's batches one at a time in order, while a stalled or failing node holds up no other", async () => {
    const bus = new MemoryBus();
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const running = new Map<string, number>();
    let overlapped = false;
    const ingest: BatchHandler = {
      async handleBatch(node, payload) {
        running.set(node, (running.get(node) ?? 0) + 1);
        if ((running.get(node) ?? 0) > 1) overlapped = true;
        order.push(`${node} ${payload.toString()} start`);
        if (node === "dock-1" && payload.toString() === "1") await stalled;
        running.set(node, (running.get(node) ?? 0) - 1);
        if (node === "bad-1") throw new Error("disk I/O error");
        order.push(`${node} ${payload.toString()} end`);
        return { kind: "ack", seq: Number(payload.toString()), stored: 1 };
      },
    };
    const glue = await MqttIngest.start({ bus, site: "s1", ingest });
    bus.deliver(topics.nodeLedger("dock-1"), "1");
    bus.deliver(topics.nodeLedger("dock-1"), "2");
    bus.deliver(topics.nodeLedger("bad-1"), "1");
    bus.deliver(topics.nodeLedger("shelf-1"), "1");
    bus.deliver(topics.nodeLedger("shelf-1"), "2");
    // shelf-1 gets its answers while dock-1's first batch is still being handled
    await vitestPoll(() => bus.acks("shelf-1").length === 2);
    expect(bus.acks("shelf-1")).toEqual([
      { type: "ack", seq: 1 },
      { type: "ack", seq: 2 },
    ]);
    expect(bus.acks("dock-1")).toEqual([]);
    expect(order).not.toContain("dock-1 2 start");
    release();
    await glue.idle();
    expect(overlapped).toBe(false);
    expect(order.filter((step) => step.startsWith("dock-1"))).toEqual([
      "dock-1 1 start",
      "dock-1 1 end",
      "dock-1 2 start",
      "dock-1 2 end",
    ]);
    expect(bus.acks("dock-1")).toEqual([
      { type: "ack", seq: 1 },
      { type: "ack", seq: 2 },
    ]);
    expect(bus.acks("bad-1")).toEqual([]);
    // the failing node's next batch is handled again
    bus.deliver(topics.nodeLedger("bad-1"), "2");
    await glue.idle();
    expect(order.filter((step) => step.startsWith("bad-1"))).toEqual([
      "bad-1 1 start",
      "bad-1 2 start",
    ]);
  });

  it("keeps each node's last valid status, and ignores invalid ones, other nodes' and unknown nodes'", async () => {
    const bus = new MemoryBus();
    const glue = await MqttIngest.start({
      bus,
      site: "s1",
      ingest: { handleBatch: () => ({ kind: "ignored", reason: "" }) },
      nodes: { node: (id) => (id === "ghost-1" ? undefined : {}) },
    });
    bus.deliver(topics.nodeStatus("dock-1"), online("dock-1"));
    expect(glue.status("dock-1")?.status).toMatchObject({ state: "online", headSeq: 12 });
    for (const bad of [
      "{not json",
      JSON.stringify({ state: "online", node: "dock-1" }),
      JSON.stringify({ state: "asleep", node: "dock-1" }),
      online("shelf-1"),
    ])
      bus.deliver(topics.nodeStatus("dock-1"), bad);
    expect(glue.status("dock-1")?.status).toMatchObject({ state: "online", headSeq: 12 });
    bus.deliver(topics.nodeStatus("dock-1"), JSON.stringify({ state: "offline", node: "dock-1" }));
    expect(glue.status("dock-1")?.status).toEqual({ state: "offline", node: "dock-1" });
    bus.deliver(topics.nodeStatus("ghost-1"), online("ghost-1"));
    expect(glue.status("ghost-1")).toBeUndefined();
    expect([...glue.statuses().keys()]).toEqual(["dock-1"]);
    // an empty retained message clears the status
    bus.deliver(topics.nodeStatus("dock-1"), "");
    expect(glue.status("dock-1")).toBeUndefined();
  });

  it("drops what is not on one of its topics without asking ingest", async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    const glue = await MqttIngest.start({
      bus,
      site: "s1",
      ingest: {
        handleBatch(node) {
          seen.push(node);
          return { kind: "ack", seq: 0, stored: 0 };
        },
      },
    });
    bus.deliver("comptoir/s1/node/bad+id/ledger", "{}");
    bus.deliver("comptoir/s1/node/dock-1/ledger/extra", "{}");
    bus.deliver(topics.nodeLedger("dock-1"), "{}");
    await glue.idle();
    expect(seen).toEqual(["dock-1"]);
  });

  it("tells the node on its cmd topic when its chain is broken, again on each batch it sends while broken, and when its own copy is damaged", async () => {
    const bus = new MemoryBus();
    const outcomes: IngestOutcome[] = [
      { kind: "ack", seq: 7, stored: 7 },
      { kind: "broken", seq: 12, reason: "bad hash", detail: "seq 12 …", ack: 11, stored: 4 },
      {
        kind: "ignored",
        reason: "chain broken at seq 12",
        broken: { seq: 12, reason: "bad hash" },
      },
      { kind: "ignored", reason: "refused: seq 1-3: bad signature" },
      {
        kind: "ignored",
        reason: "refused",
        corrupt: {
          seq: 4,
          reason: "local copy corrupted: the entry's content does not match its hash",
        },
      },
    ];
    const glue = await MqttIngest.start({
      bus,
      site: "s1",
      ingest: { handleBatch: () => outcomes.shift() as IngestOutcome },
    });
    for (let n = 0; n < 5; n++) bus.deliver(topics.nodeLedger("dock-1"), `batch ${n}`);
    await glue.idle();
    const commands = bus.published
      .filter((message) => message.topic === topics.nodeCmd("dock-1"))
      .map((message) => JSON.parse(message.payload));
    expect(commands).toEqual([
      { type: "broken", seq: 12, reason: "bad hash", scope: "chain" },
      { type: "broken", seq: 12, reason: "bad hash", scope: "chain" },
      {
        type: "broken",
        seq: 4,
        reason: "local copy corrupted: the entry's content does not match its hash",
        scope: "local",
      },
    ]);
  });
});

async function vitestPoll(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("MQTT ingest glue: a bounded queue per node", () => {
  it("drops a node's batches beyond ingest.maxQueuedBatches while it is behind (the node sends them again), and takes other nodes' as usual", async () => {
    const bus = new MemoryBus();
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const ingest: BatchHandler = {
      async handleBatch(node, payload) {
        seen.push(`${node}:${payload.toString()}`);
        if (node === "dock-1") await stalled;
        return { kind: "ack", seq: 1, stored: 1 };
      },
    };
    const glue = await MqttIngest.start({ bus, site: "s1", ingest, maxQueuedBatches: 4 });
    for (let n = 1; n <= 50; n++) bus.deliver(topics.nodeLedger("dock-1"), `batch ${n}`);
    bus.deliver(topics.nodeLedger("shelf-1"), "batch 1");
    release();
    await glue.idle();
    expect(seen.filter((s) => s.startsWith("dock-1"))).toEqual([
      "dock-1:batch 1",
      "dock-1:batch 2",
      "dock-1:batch 3",
      "dock-1:batch 4",
    ]);
    expect(seen).toContain("shelf-1:batch 1");
    // Caught up: the node's next batch is taken again.
    bus.deliver(topics.nodeLedger("dock-1"), "batch 51");
    await glue.idle();
    expect(seen.at(-1)).toBe("dock-1:batch 51");
  });
});

import { ManualClock, siteTopics } from "@comptoir/contracts";
import { describe, expect, it } from "vitest";
import { createGatewayApp } from "../http/app.js";
import { EventHub, type LiveEvent } from "../live/events.js";
import { ClockFlags } from "../store/clock-flags.js";
import { apiSetup } from "../testing/api.js";
import { cleanupAfterEach, connectedNode, embeddedBroker, eventually } from "../testing/broker.js";
import { ClockSkewWatch } from "./clock-skew.js";
import { Ingest } from "./ingest.js";
import { MqttIngest } from "./mqtt-ingest.js";

const defer = cleanupAfterEach();
const SITE = "s1";
const topics = siteTopics(SITE);

function online(node: string, ts: string): string {
  return JSON.stringify({
    state: "online",
    node,
    version: "0.1.0",
    headSeq: 0,
    ackedSeq: 0,
    readers: [],
    ts,
  });
}

/** A gateway's ingest and clock watch on the embedded broker, with its clock at `now`. */
async function gatewayAt(site: Awaited<ReturnType<typeof embeddedBroker>>, now: string) {
  const clock = new ManualClock(now);
  const hub = new EventHub({ clock });
  const events: LiveEvent[] = [];
  hub.subscribe((event) => events.push(event));
  const clocks = new ClockSkewWatch(new ClockFlags(site.store.db), {
    thresholdSeconds: 120,
    sink: hub,
  });
  const glue = await MqttIngest.start({
    bus: site.bus,
    site: SITE,
    ingest: new Ingest(site.store),
    nodes: site.store,
    clock,
    onStatus: (node, record) => clocks.observe(node, record),
  });
  defer(() => glue.stop());
  return { clock, clocks, events, glue };
}

describe("node clock skew at the gateway", () => {
  it("flags a node whose status says its clock is 10 min behind, on the live feed, until it agrees again", async () => {
    const site = await embeddedBroker(defer, { site: SITE });
    const gw = await gatewayAt(site, "2026-11-22T10:00:00.000Z");
    const node = await connectedNode(defer, site, "till-1");
    const status = topics.nodeStatus("till-1");

    await node.client.publishAsync(status, online("till-1", "2026-11-22T09:50:00.000Z"), {
      qos: 1,
      retain: true,
    });
    await eventually(() => gw.clocks.view("till-1").flagged);
    expect(gw.clocks.view("till-1")).toEqual({
      skewMs: -600_000,
      measuredAt: "2026-11-22T10:00:00.000Z",
      flagged: true,
      since: "2026-11-22T10:00:00.000Z",
      thresholdMs: 120_000,
    });
    expect(gw.events.map((event) => [event.type, event.data])).toEqual([
      ["node", expect.objectContaining({ id: "till-1", change: "clock" })],
      [
        "alert",
        expect.objectContaining({
          level: "warning",
          node: "till-1",
          message: expect.stringContaining("10 min 0 s behind the gateway's"),
        }),
      ],
    ]);

    // Still behind a minute later: no second alert.
    gw.clock.advance(60_000);
    await node.client.publishAsync(status, online("till-1", "2026-11-22T09:51:00.000Z"), {
      qos: 1,
    });
    // NTP synced: the next status agrees to within a second.
    gw.clock.advance(60_000);
    await node.client.publishAsync(status, online("till-1", "2026-11-22T10:01:59.600Z"), {
      qos: 1,
    });
    await eventually(() => !gw.clocks.view("till-1").flagged);
    expect(gw.clocks.view("till-1")).toMatchObject({ skewMs: -400, flagged: false, since: null });
    expect(gw.events.filter((event) => event.type === "alert").map((e) => e.data)).toEqual([
      expect.objectContaining({ level: "warning" }),
      expect.objectContaining({ level: "info", message: expect.stringContaining("within 120 s") }),
    ]);
    expect(new ClockFlags(site.store.db).periods("till-1")).toEqual([
      {
        node: "till-1",
        from: "2026-11-22T10:00:00.000Z",
        until: "2026-11-22T10:02:00.000Z",
        skewMs: -600_000,
      },
    ]);
  });

  it("does not measure a retained status handed over on subscribing (it may be old), and keeps a flag across a restart", async () => {
    const site = await embeddedBroker(defer, { site: SITE });
    const node = await connectedNode(defer, site, "till-1");
    // Sent an hour before the gateway (re)subscribes: its ts is old, not wrong.
    await node.client.publishAsync(
      topics.nodeStatus("till-1"),
      online("till-1", "2026-11-22T09:00:00.000Z"),
      { qos: 1, retain: true },
    );
    const gw = await gatewayAt(site, "2026-11-22T10:00:00.000Z");
    await eventually(() => gw.glue.status("till-1") !== undefined);
    expect(gw.glue.status("till-1")?.retained).toBe(true);
    expect(gw.clocks.view("till-1")).toMatchObject({ skewMs: null, flagged: false });

    // A flag raised before a gateway restart is still shown after it, until the next measure.
    new ClockFlags(site.store.db).raise("till-1", "2026-11-22T09:30:00.000Z", -900_000);
    const restarted = new ClockSkewWatch(new ClockFlags(site.store.db));
    expect(restarted.view("till-1")).toMatchObject({
      skewMs: null,
      flagged: true,
      since: "2026-11-22T09:30:00.000Z",
    });
  });

  it("shows the clock in GET /nodes and /nodes/:id", async () => {
    const s = await apiSetup();
    s.store.enrollNode("till-1", "aa".repeat(32));
    const clocks = new ClockSkewWatch(new ClockFlags(s.store.db));
    clocks.observe("till-1", {
      receivedAt: "2026-11-22T10:00:00.000Z",
      status: JSON.parse(online("till-1", "2026-11-22T12:00:00.000Z")),
    });
    const app = createGatewayApp({
      store: s.store,
      ledger: s.ledger,
      tokens: s.tokens,
      nodeClock: (id) => clocks.view(id),
    });
    const get = async (path: string) =>
      (
        await app.request(`/api/v1${path}`, {
          headers: { authorization: `Bearer ${s.token.viewer}` },
        })
      ).json();
    const clock = { skewMs: 7_200_000, flagged: true, since: "2026-11-22T10:00:00.000Z" };
    expect(await get("/nodes/till-1")).toMatchObject({ id: "till-1", clock });
    const metrics = await (
      await app.request("/api/v1/metrics", {
        headers: { authorization: `Bearer ${s.token.viewer}` },
      })
    ).text();
    expect(metrics).toContain('comptoir_node_clock_skew_seconds{node="till-1"} 7200');
    expect(metrics).toContain('comptoir_node_clock_flagged{node="till-1"} 1');
    expect(await get("/nodes")).toMatchObject({
      nodes: expect.arrayContaining([
        expect.objectContaining({ id: "till-1", clock: expect.objectContaining(clock) }),
      ]),
    });
  });
});

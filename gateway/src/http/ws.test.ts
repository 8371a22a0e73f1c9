import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  EventHub,
  GatewayLedger,
  type GatewayServer,
  Store,
  serveGateway,
  TokenStore,
} from "../index.js";

const servers: GatewayServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-ws-"));
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const system = { kind: "system", id: "test" } as const;
  const viewer = tokens.create("viewer", "screen", system).token;
  const admin = tokens.create("admin", "admin", system).token;
  const events = new EventHub({ capacity: 4, clock, firstId: 1 });
  const server = await serveGateway(
    { store, ledger, tokens, events, clock, brokerState: () => ({ state: "up" }) },
    { host: "127.0.0.1", port: 0, authTimeoutMs: 300 },
  );
  servers.push(server);
  const wsUrl = server.url.replace("http", "ws");
  return { store, tokens, events, server, wsUrl, viewer, admin };
}

/** A client that collects every message it receives. */
function client(url: string) {
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    ws.on("close", (code) => resolve({ code })),
  );
  const until = async (count: number) => {
    const deadline = Date.now() + 5000;
    while (messages.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return messages;
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return { ws, messages, until, closed, opened };
}

/** A client signed in by its first message (tokens never go in the URL). */
function signedIn(url: string, token: string, since?: number) {
  const c = client(url);
  c.ws.once("open", () =>
    c.ws.send(JSON.stringify({ type: "auth", token, ...(since === undefined ? {} : { since }) })),
  );
  return c;
}

describe("gateway live feed on /ws", () => {
  it("sends a snapshot on connect, then events with increasing ids", async () => {
    const s = await setup();
    s.store.enrollNode("dock-1", generateIdentity().publicKeyHex);
    s.events.publish("alert", { level: "warning", message: "before" });
    const c = signedIn(`${s.wsUrl}/ws`, s.viewer);
    const [snapshot] = await c.until(1);
    expect(snapshot).toMatchObject({
      type: "snapshot",
      lastId: 1,
      stock: [],
      nodes: [expect.objectContaining({ id: "dock-1", chain: { state: "ok" } })],
    });
    s.events.publish("node", { id: "dock-1", change: "online" });
    s.events.publish("stock", { sku: "SKU-1", zone: "dock", count: 3 });
    const messages = await c.until(3);
    expect(messages.slice(1)).toEqual([
      expect.objectContaining({ id: 2, type: "node", data: { id: "dock-1", change: "online" } }),
      expect.objectContaining({
        id: 3,
        type: "stock",
        data: { sku: "SKU-1", zone: "dock", count: 3 },
      }),
    ]);
    expect(s.server.live.clients()).toBe(1);
    c.ws.close();
  });

  it("authenticates by a first message and resumes from the last id, or sends a fresh snapshot when too old", async () => {
    const s = await setup();
    for (let i = 0; i < 3; i++) s.events.publish("alert", { level: "warning", message: `m${i}` });
    const c = client(`${s.wsUrl}/ws`);
    await c.opened;
    c.ws.send(JSON.stringify({ type: "auth", token: s.viewer, since: 1 }));
    const messages = await c.until(3);
    expect(messages).toEqual([
      { type: "resume", since: 1 },
      expect.objectContaining({ id: 2 }),
      expect.objectContaining({ id: 3 }),
    ]);
    c.ws.close();
    for (let i = 0; i < 6; i++) s.events.publish("alert", { level: "warning", message: `n${i}` });
    const late = signedIn(`${s.wsUrl}/ws`, s.viewer, 3);
    const [fresh] = await late.until(1);
    expect(fresh).toMatchObject({ type: "snapshot", lastId: 9 });
    const recent = signedIn(`${s.wsUrl}/ws`, s.viewer, 7);
    expect(await recent.until(3)).toEqual([
      { type: "resume", since: 7 },
      expect.objectContaining({ id: 8 }),
      expect.objectContaining({ id: 9 }),
    ]);
    late.ws.close();
    recent.ws.close();
  });

  it("answers a bad inbound message with an error and keeps serving", async () => {
    const s = await setup();
    const c = signedIn(`${s.wsUrl}/ws`, s.admin);
    await c.until(1);
    c.ws.send("not json");
    c.ws.send(JSON.stringify({ type: "subscribe", topics: 1 }));
    c.ws.send(JSON.stringify({ type: "auth", token: 5 }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify({ type: "ping" }));
    const messages = await c.until(6);
    expect(messages.slice(1, 5)).toEqual([
      { type: "error", error: expect.objectContaining({ code: "invalid_message" }) },
      { type: "error", error: expect.objectContaining({ code: "invalid_message", path: "type" }) },
      { type: "error", error: expect.objectContaining({ code: "invalid_message", path: "token" }) },
      { type: "error", error: expect.objectContaining({ code: "invalid_message" }) },
    ]);
    expect(messages[5]).toEqual({ type: "pong" });
    s.events.publish("alert", { level: "critical", message: "still here" });
    expect((await c.until(7))[6]).toMatchObject({ type: "alert", data: { message: "still here" } });
    c.ws.close();
  });

  it("refuses a token in the URL at the upgrade, and closes on a bad first message or silence without a word", async () => {
    const s = await setup();
    const refused = new WebSocket(`${s.wsUrl}/ws?token=${s.viewer}`);
    const status = await new Promise<number>((resolve) =>
      refused.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(400);
    const wrong = client(`${s.wsUrl}/ws`);
    await wrong.opened;
    wrong.ws.send(JSON.stringify({ type: "auth", token: "ct_wrong" }));
    expect((await wrong.closed).code).toBe(4401);
    expect(wrong.messages).toEqual([]);
    const silent = client(`${s.wsUrl}/ws`);
    expect((await silent.closed).code).toBe(4401);
    expect(silent.messages).toEqual([]);
  });

  it("serves the HTTP API on the same port", async () => {
    const s = await setup();
    const res = await fetch(`${s.server.url}/api/v1/nodes`, {
      headers: { authorization: `Bearer ${s.viewer}` },
    });
    expect(res.status).toBe(200);
    expect(
      await fetch(`${s.server.url}/api/v1/metrics`, {
        headers: { authorization: `Bearer ${s.admin}` },
      }).then((r) => r.text()),
    ).toContain("comptoir_live_clients 0");
  });
});

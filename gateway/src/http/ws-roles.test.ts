import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type Role, TokenStore } from "../auth/tokens.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { EventHub } from "../live/events.js";
import { Store } from "../store/store.js";
import { type GatewayServer, serveGateway } from "./serve.js";

const servers: GatewayServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const system = { kind: "system", id: "test" } as const;

async function setup(live: { maxClients?: number; recheckMs?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-ws-roles-"));
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const events = new EventHub({ capacity: 100, clock, firstId: 1 });
  const server = await serveGateway(
    { store, ledger, tokens, events, clock, brokerState: () => ({ state: "up" }) },
    { host: "127.0.0.1", port: 0, authTimeoutMs: 300, live },
  );
  servers.push(server);
  store.enrollNode("dock-1", generateIdentity().publicKeyHex);
  const issue = (role: Role) => tokens.create(role, `${role} screen`, system);
  return { store, tokens, events, server, wsUrl: `${server.url.replace("http", "ws")}/ws`, issue };
}

/** A client that collects every message, and how its socket closed. */
function client(url: string) {
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`got ${JSON.stringify(messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { ws, messages, closed, opened, until };
}

async function signedIn(url: string, token: string) {
  const c = client(url);
  await c.opened;
  c.ws.send(JSON.stringify({ type: "auth", token }));
  await c.until(() => c.messages.length >= 1);
  return c;
}

function publishOneOfEach(events: EventHub) {
  events.publish("stock", { sku: "SKU-1", zone: "dock", count: 3 });
  events.publish("node", { id: "dock-1", change: "online" });
  events.publish("credit", {
    customer: "C-1",
    node: "pos-1",
    seq: 4,
    decision: "block",
    reasons: ["over limit"],
    amount: 12000,
    currency: "EUR",
    clerk: "ana",
    offline: false,
    at: "2026-11-22T09:00:00Z",
  });
  events.publish("alert", {
    level: "warning",
    message: "C-1 is over its limit",
    customer: "C-1",
    code: "over-limit",
  });
  events.publish("alert", { level: "warning", message: "reader door degraded", node: "dock-1" });
  events.publish("alert", { level: "info", message: "end of list" });
}

describe("the live feed by role", () => {
  it("sends each role only the events it could read through REST", async () => {
    const s = await setup();
    const warehouse = await signedIn(s.wsUrl, s.issue("warehouse").token);
    const counter = await signedIn(s.wsUrl, s.issue("counter").token);
    const accounting = await signedIn(s.wsUrl, s.issue("accounting").token);
    // The counter may not read nodes (GET /nodes is 403): its snapshot has none.
    expect(counter.messages[0]).toMatchObject({ type: "snapshot", nodes: [] });
    expect(warehouse.messages[0]).toMatchObject({
      type: "snapshot",
      nodes: [expect.objectContaining({ id: "dock-1" })],
    });
    publishOneOfEach(s.events);
    const last = (c: ReturnType<typeof client>) => () =>
      c.messages.some((m) => (m.data as { message?: string })?.message === "end of list");
    await warehouse.until(last(warehouse));
    await counter.until(last(counter));
    await accounting.until(last(accounting));
    const seen = (c: ReturnType<typeof client>) =>
      c.messages
        .slice(1)
        .map(
          (m) =>
            `${m.type}${m.type === "alert" ? `:${(m.data as { message: string }).message}` : ""}`,
        );
    // Warehouse: no credit decisions, no customer's credit alert (GET /credit/:customer is 403).
    expect(seen(warehouse)).toEqual([
      "stock",
      "node",
      "alert:reader door degraded",
      "alert:end of list",
    ]);
    expect(seen(counter)).toEqual([
      "stock",
      "credit",
      "alert:C-1 is over its limit",
      "alert:end of list",
    ]);
    expect(seen(accounting)).toHaveLength(6);
  });

  it("filters the events a client resumes with as it filters live ones", async () => {
    const s = await setup();
    publishOneOfEach(s.events);
    const c = client(s.wsUrl);
    await c.opened;
    c.ws.send(JSON.stringify({ type: "auth", token: s.issue("warehouse").token, since: 0 }));
    await c.until(() => c.messages.length >= 5);
    expect(c.messages.map((m) => m.type)).toEqual(["resume", "stock", "node", "alert", "alert"]);
  });

  it("closes the socket of a token revoked through the API, and of one revoked by another process", async () => {
    const s = await setup({ recheckMs: 50 });
    const first = s.issue("viewer");
    const c = await signedIn(s.wsUrl, first.token);
    s.tokens.revoke(first.record.id, system);
    expect(await c.closed).toMatchObject({ code: 4401, reason: expect.stringMatching(/revoked/) });
    const second = s.issue("viewer");
    const d = await signedIn(s.wsUrl, second.token);
    // `comptoir token revoke` writes the shared database from its own process.
    s.store.db
      .prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")
      .run("2026-11-22T09:01:00Z", second.record.id);
    expect((await d.closed).code).toBe(4401);
    s.events.publish("alert", { level: "info", message: "after revoke" });
    expect(d.messages.map((m) => m.type)).toEqual(["snapshot"]);
  });

  it("answers nothing before authentication: a ping, a bad message or a wrong token just close", async () => {
    const s = await setup();
    for (const first of [
      JSON.stringify({ type: "ping" }),
      "not json",
      JSON.stringify({ type: "auth", token: "ct_wrong" }),
    ]) {
      const c = client(s.wsUrl);
      await c.opened;
      c.ws.send(first);
      expect((await c.closed).code, first).toBe(4401);
      expect(c.messages, first).toEqual([]);
    }
  });

  it("refuses a token in the URL, which proxies log, before any upgrade", async () => {
    const s = await setup();
    const token = s.issue("admin").token;
    const ws = new WebSocket(`${s.wsUrl}?token=${token}`);
    const answer = await new Promise<{ status: number; body: string }>((resolve) =>
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/first message/);
    expect(s.server.live.clients()).toBe(0);
  });

  it("refuses clients beyond live.maxClients with 503 and Retry-After", async () => {
    const s = await setup({ maxClients: 2 });
    const token = s.issue("viewer").token;
    await signedIn(s.wsUrl, token);
    const second = client(s.wsUrl);
    await second.opened;
    const third = new WebSocket(s.wsUrl);
    const refused = await new Promise<{ status: number; retry?: string }>((resolve) =>
      third.on("unexpected-response", (_req, res) =>
        resolve({ status: res.statusCode ?? 0, retry: res.headers["retry-after"] }),
      ),
    );
    expect(refused).toEqual({ status: 503, retry: expect.stringMatching(/^\d+$/) });
    second.ws.close();
    await second.closed;
    await signedIn(s.wsUrl, token);
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, type LedgerEntry, ManualClock } from "@comptoir/contracts";
import { chainSealer } from "@comptoir/contracts/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TokenStore } from "../../auth/tokens.js";
import { GatewayLedger } from "../../ledger/gateway-ledger.js";
import { Store } from "../../store/store.js";
import { apiSetup, chainOf, enrolled, epc } from "../../testing/api.js";
import { type BadInputCase, expectRefusedUnchanged } from "../../testing/bad-input.js";
import { createGatewayApp } from "../app.js";
import { type GatewayServer, serveGateway } from "../serve.js";

const servers: GatewayServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A gateway store holding a node's chain of `count` entries, and a viewer's token. */
async function setup(count: number) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-audit-"));
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const tokens = new TokenStore(store.db, ledger, { clock });
  const viewer = tokens.create("viewer", "auditor", { kind: "system", id: "test" }).token;
  const identity = generateIdentity();
  store.enrollNode("dock-1", identity.publicKeyHex);
  const entries: LedgerEntry[] = [];
  const sealer = chainSealer("dock-1");
  for (let seq = 1; seq <= count; seq++) {
    const ts = new Date(Date.UTC(2026, 10, 22, 8, 0, 0, seq)).toISOString();
    entries.push(sealer.seal("note", { note: `n${seq}` }, ts));
  }
  store.appendEntries("dock-1", entries);
  const app = createGatewayApp({
    store,
    ledger,
    tokens,
    clock,
    brokerState: () => ({ state: "up" }),
  });
  const get = (path: string) =>
    app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${viewer}` } });
  /** The same over a real socket: what a blocked event loop delays. */
  const serve = async () => {
    const server = await serveGateway(
      { store, ledger, tokens, clock, brokerState: () => ({ state: "up" }) },
      { host: "127.0.0.1", port: 0 },
    );
    servers.push(server);
    return (path: string) =>
      fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${viewer}` } });
  };
  return { get, serve, head: sealer.head(), store };
}

describe("GET /audit/:chain/verify", () => {
  it("runs one verification at a time: a second request meanwhile gets 429 with Retry-After", async () => {
    const s = await setup(500);
    const [first, second] = await Promise.all([
      s.get("/audit/dock-1/verify"),
      s.get("/audit/dock-1/verify"),
    ]);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      chain: "dock-1",
      ok: true,
      count: 500,
      head: s.head,
    });
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await second.json()).toMatchObject({
      error: { code: "busy", message: expect.stringMatching(/already running/) },
    });
    // Once done, the next one runs.
    expect((await s.get("/audit/dock-1/verify")).status).toBe(200);
  });

  it("keeps the API answering while a chain is verified", async () => {
    const s = await setup(5000);
    const get = await s.serve();
    const order: string[] = [];
    let health: Promise<unknown> | undefined;
    // The health check is asked the moment the verification starts (it looks the node up first).
    const lookup = s.store.node.bind(s.store);
    vi.spyOn(s.store, "node").mockImplementation((id: string) => {
      health ??= get("/health").then(() => order.push("health"));
      return lookup(id);
    });
    await get("/audit/dock-1/verify").then(() => order.push("verify"));
    await health;
    // On the main thread, the whole chain was hashed before the health check could answer.
    expect(order).toEqual(["health", "verify"]);
  });
});

describe("gateway API: audit", () => {
  it("verifies a node's stored chain, and names the seq after a stored entry is tampered with", async () => {
    const s = await apiSetup();
    const identity = await enrolled(s, "dock-1");
    const chain = chainOf("dock-1");
    for (let i = 0; i < 4; i++) chain.move(epc(), null, "dock");
    s.store.appendEntries("dock-1", chain.entries);
    const head = chain.entries.at(-1);
    const verify = async (id: string) =>
      (await (await s.call("GET", `/audit/${id}/verify`, { role: "accounting" })).json()) as Record<
        string,
        unknown
      >;
    expect(await verify("dock-1")).toEqual({
      chain: "dock-1",
      ok: true,
      count: 4,
      head: { seq: 4, hash: head?.hash },
    });
    expect(identity).toBeDefined();
    s.store.db
      .prepare(
        "UPDATE entries SET data = json_set(data, '$.to', 'elsewhere') WHERE chain = 'dock-1' AND seq = 3",
      )
      .run();
    expect(await verify("dock-1")).toMatchObject({
      chain: "dock-1",
      ok: false,
      seq: 3,
      reason: "bad hash",
    });

    expect(await verify("gateway")).toMatchObject({ ok: true });
    s.store.db
      .prepare(
        "UPDATE entries SET data = json_set(data, '$.role', 'admin') WHERE chain = 'gateway' AND seq = 2",
      )
      .run();
    expect(await verify("gateway")).toMatchObject({
      chain: "gateway",
      ok: false,
      seq: 2,
      reason: "bad hash",
    });
  });
});

describe("gateway API: bad input changes nothing", () => {
  const cases: BadInputCase[] = [
    {
      name: "audit: unknown chain",
      method: "GET",
      path: "/audit/nope/verify",
      init: {},
      status: 404,
      code: "not_found",
    },
  ];

  it.each(cases)("$name → $status $code", expectRefusedUnchanged);
});

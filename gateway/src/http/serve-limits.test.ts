import { mkdtemp } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, ManualClock } from "@comptoir/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { Store } from "../store/store.js";
import { type GatewayServer, type ServeOptions, serveGateway } from "./serve.js";

const servers: GatewayServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
});

async function serve(limits: ServeOptions["limits"]) {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-serve-limits-"));
  const clock = new ManualClock("2026-11-22T09:00:00Z");
  const store = new Store(join(dir, "gateway.db"), { clock });
  const ledger = new GatewayLedger(store, generateIdentity(), { clock });
  const server = await serveGateway(
    { store, ledger, clock, brokerState: () => ({ state: "up" }) },
    { host: "127.0.0.1", port: 0, ...(limits ? { limits } : {}) },
  );
  servers.push(server);
  return server;
}

/** A raw TCP client: what it received, and a promise of its closing. */
function rawClient(port: number) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let received = "";
  socket.on("data", (chunk) => (received += chunk));
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  const opened = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed, opened };
}

describe("the gateway's HTTP server limits", () => {
  it("answers 408 and closes a client that never finishes its headers (http.limits.headersTimeoutMs)", async () => {
    const server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 1000 });
    const slow = rawClient(server.address.port);
    await slow.opened;
    // A slowloris: headers begun, never ended.
    slow.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: gw\r\nX-Slow: ");
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it("accepts at most http.limits.maxConnections connections at once; others are closed unanswered", async () => {
    const server = await serve({ maxConnections: 2 });
    const held = [rawClient(server.address.port), rawClient(server.address.port)];
    await Promise.all(held.map((client) => client.opened));
    // The server has accepted both before the third arrives.
    const count = () =>
      new Promise<number>((resolve) => server.server.getConnections((_e, n) => resolve(n)));
    while ((await count()) < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const third = rawClient(server.address.port);
    third.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: gw\r\n\r\n");
    expect(await third.closed).toBe("");
    // The held ones are still served.
    const first = held[0];
    first?.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    expect(await first?.closed).toMatch(/^HTTP\/1\.1 200/);
  });
});

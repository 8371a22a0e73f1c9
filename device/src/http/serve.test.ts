import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdentity, ManualClock } from "@comptoir/contracts";
import { NodeConfigSchema, parseListen } from "@comptoir/firmware-config";
import { afterEach, describe, expect, it } from "vitest";
import { NodeRuntime } from "../node/runtime.js";
import { createNodeApp } from "./app.js";
import { type NodeServer, serveNodeApp } from "./serve.js";
import { FakeNodeApi } from "./testing/fake-api.js";

const A = "3034257BF7194E4000000001";
const B = "3034257BF7194E4000000002";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  api: Parameters<typeof createNodeApp>[0],
  heartbeatMs = 15_000,
): Promise<NodeServer> {
  // Kiosk mode: these requests come from this machine, as a screen on the node would.
  const server = await serveNodeApp(
    createNodeApp(api, { heartbeatMs, kiosk: true }),
    "127.0.0.1:0",
  );
  cleanups.push(() => server.close());
  return server;
}

/** Reads SSE events from a live response until `count` of the wanted types arrived. */
async function sseEvents(response: Response, types: string[], count: number) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data && types.includes(event)) events.push({ event, data: JSON.parse(data) });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

describe("serveNodeApp", () => {
  it("listens on an ephemeral port and reports the bound address", async () => {
    const server = await serve(new FakeNodeApi());
    expect(server.address.host).toBe("127.0.0.1");
    expect(server.address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });

  it("bounds request bodies over a real socket, announced by Content-Length or chunked", async () => {
    const api = new FakeNodeApi();
    const server = await serve(api);
    const big = JSON.stringify({ epc: A, sku: "S", pad: "x".repeat(70_000) });
    const post = (
      body: string | ReadableStream<Uint8Array>,
      headers: Record<string, string> = {},
    ) =>
      fetch(`${server.url}/api/v1/tags/commission`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
      } as RequestInit);
    const announced = await post(big);
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: { code: string } }).error.code).toBe(
      "body_too_large",
    );
    // No Content-Length: the body streams in chunks and is counted as it comes.
    const chunks = [big.slice(0, 40_000), big.slice(40_000)].map((part) =>
      new TextEncoder().encode(part),
    );
    const chunked = await post(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
    );
    expect(chunked.status).toBe(413);
    expect(api.calls).toEqual([]);
    // Small bodies, both ways, still reach the route.
    const ok = await post(JSON.stringify({ epc: A, sku: "S" }));
    expect(ok.status).toBeLessThan(300);
    const smallChunked = await post(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ epc: B, sku: "S" })));
          controller.close();
        },
      }),
    );
    expect(smallChunked.status).toBeLessThan(300);
    expect(api.calls.map((call) => call.method)).toEqual(["commission", "commission"]);
  });

  it("says why it cannot listen", async () => {
    const first = await serve(new FakeNodeApi());
    await expect(
      serveNodeApp(createNodeApp(new FakeNodeApi()), `127.0.0.1:${first.address.port}`),
    ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    expect(() => parseListen("localhost")).toThrow(/expected host:port/);
    expect(parseListen("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
  });

  it("streams the node's events to a page and lets go of them when it leaves", async () => {
    const api = new FakeNodeApi();
    const server = await serve(api, 50);
    const response = await fetch(`${server.url}/api/v1/events`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = sseEvents(response, ["hello", "read", "movement"], 3);
    await expect.poll(() => api.listenerCount).toBe(1);
    api.emitRead(A);
    await api.emitMovement({ epc: A, to: "dock" });
    expect(await events).toEqual([
      { event: "hello", data: { node: "desk-1", role: "station" } },
      { event: "read", data: { type: "read", read: expect.objectContaining({ epc: A }) } },
      {
        event: "movement",
        data: { type: "movement", movement: expect.objectContaining({ epc: A, seq: 1 }) },
      },
    ]);
    await expect.poll(() => api.listenerCount).toBe(0);
  });
});

describe("the local API over a running node", () => {
  it("moves, commissions and reports stock through HTTP, recorded in the node's ledger", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "comptoir-http-"));
    await createIdentity(dataDir);
    const config = NodeConfigSchema.parse({
      node: { id: "desk-1", site: "lyon-1", role: "station" },
      ledger: { groupCommitMs: 1 },
    });
    const node = await NodeRuntime.start({
      config,
      dataDir,
      clock: new ManualClock("2026-11-22T09:00:00Z"),
    });
    cleanups.push(() => node.stop());
    const server = await serve(node);
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    expect((await post("/station/move", { epcs: [A, B], zone: "shelf-a" })).status).toBe(201);
    expect(await (await fetch(`${server.url}/api/v1/tags/unknown`)).json()).toEqual({
      tags: [
        { epc: A, zone: "shelf-a" },
        { epc: B, zone: "shelf-a" },
      ],
    });
    expect((await post("/tags/commission", { epc: A, sku: "SKU-1" })).status).toBe(201);
    expect((await post("/tags/commission", { epc: A, sku: "SKU-2" })).status).toBe(422);
    expect(await (await fetch(`${server.url}/api/v1/stock?zone=shelf-a`)).json()).toEqual({
      rows: [
        { sku: null, zone: "shelf-a", count: 1 },
        { sku: "SKU-1", zone: "shelf-a", count: 1 },
      ],
    });
    const moves = (await (await fetch(`${server.url}/api/v1/movements/recent?limit=5`)).json()) as {
      movements: { epc: string }[];
    };
    expect(moves.movements.map((movement) => movement.epc).sort()).toEqual([A, B]);
    expect(node.ledger.head.seq).toBeGreaterThanOrEqual(3);
  });
});

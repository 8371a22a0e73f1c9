import { afterEach, describe, expect, it } from "vitest";
import { createNodeApp } from "./app.js";
import { type NodeServer, serveNodeApp } from "./serve.js";
import { FakeNodeApi } from "./testing/fake-api.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(maxEventStreams: number): Promise<NodeServer> {
  // Kiosk mode: these requests come from this machine, as a screen on the node would.
  const server = await serveNodeApp(
    createNodeApp(new FakeNodeApi(), { heartbeatMs: 15_000, kiosk: true, maxEventStreams }),
    "127.0.0.1:0",
  );
  cleanups.push(() => server.close());
  return server;
}

/** An open event stream, read up to its first event so that the node counts it. */
async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events`, { signal: controller.signal });
  if (response.status === 200) {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    cleanups.push(async () => controller.abort());
    return { response, close: () => controller.abort() };
  }
  return { response, close: () => controller.abort() };
}

describe("the node's event streams are capped (http.maxEventStreams)", () => {
  it("answers 503 with Retry-After past the cap, and takes a new stream once one closes", async () => {
    const server = await serve(2);
    const first = await openStream(server.url);
    const second = await openStream(server.url);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await openStream(server.url);
    expect(third.response.status).toBe(503);
    expect(third.response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await third.response.json()).toMatchObject({ error: { code: "busy" } });
    first.close();
    // The slot comes back when the node sees the stream end.
    let again = await openStream(server.url);
    for (let i = 0; again.response.status !== 200 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openStream(server.url);
    }
    expect(again.response.status).toBe(200);
  });
});

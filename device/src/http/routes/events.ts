import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { NodeEvent } from "../../node/api.js";
import type { RouteDeps } from "../context.js";

/** Events waiting for a slow page beyond this are dropped, oldest first, and the page told to reload its lists. */
const MAX_QUEUED = 500;

/**
 * `GET /events`: the node's live events as Server-Sent Events, one SSE
 * event per NodeEvent (`read`, `scan`, `movement`, `stock`), its data the
 * event as JSON. A page that falls behind gets `resync` and refetches.
 */
export function eventRoutes({ api, log, heartbeatMs }: RouteDeps) {
  return new Hono().get("/events", (c) =>
    streamSSE(
      c,
      async (stream) => {
        try {
          await pump(stream, api, heartbeatMs);
        } catch (error) {
          log.warn({ err: error }, "event stream ended with an error");
        }
      },
      async (error) => {
        log.warn({ err: error }, "event stream failed");
      },
    ),
  );
}

async function pump(stream: SSEStreamingApi, api: RouteDeps["api"], heartbeatMs: number) {
  const queue: NodeEvent[] = [];
  let dropped = 0;
  let wake: (() => void) | undefined;
  const unsubscribe = api.subscribe((event) => {
    if (queue.length >= MAX_QUEUED) {
      queue.shift();
      dropped++;
    }
    queue.push(event);
    wake?.();
  });
  stream.onAbort(() => wake?.());
  try {
    await stream.writeSSE({
      event: "hello",
      data: JSON.stringify({ node: api.nodeId, role: api.role }),
      retry: 3000,
    });
    while (!stream.aborted && !stream.closed) {
      if (dropped > 0) {
        await stream.writeSSE({ event: "resync", data: JSON.stringify({ dropped }) });
        dropped = 0;
      }
      const event = queue.shift();
      if (event) {
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), heartbeatMs);
      });
      clearTimeout(timer);
      wake = undefined;
      if (!woken) await stream.write(": keep-alive\n\n");
    }
  } finally {
    unsubscribe();
  }
}

import { Hono } from "hono";
import type { NodeEvent } from "../../node/api.js";
import { cappedStream } from "../capped-stream.js";
import type { RouteDeps } from "../context.js";
import { pumpEvents } from "../sse-pump.js";
import { readView } from "./stock.js";

/** Events waiting for a slow page beyond this are dropped, oldest first, and the page told to reload its lists. */
const MAX_QUEUED = 500;

/**
 * `GET /events`: the node's live events as Server-Sent Events, one SSE
 * event per NodeEvent (`read`, `scan`, `movement`, `stock`, `alert`, `dock`),
 * its data the event as JSON. A page that falls behind gets `resync` and refetches.
 */
export function eventRoutes({ api, log, heartbeatMs, streams }: RouteDeps) {
  /** A read or scan names the zone of the antenna that saw it, as `GET /reads/recent` does. */
  const withZone = (event: NodeEvent): NodeEvent =>
    event.type === "read" || event.type === "scan"
      ? { ...event, read: readView(api, event.read) }
      : event;
  return new Hono().get("/events", (c) =>
    cappedStream(
      c,
      { streams },
      async (stream) => {
        try {
          await pumpEvents<NodeEvent>(stream, {
            hello: { node: api.nodeId, role: api.role },
            subscribe: (listener) => api.subscribe((event) => listener(withZone(event))),
            heartbeatMs,
            maxQueued: MAX_QUEUED,
            resync: "resync",
          });
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

import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { RouteDeps } from "./context.js";
import { sendError } from "./errors.js";

/** Seconds a refused page waits before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * An SSE response that holds one of the node's event-stream slots for as
 * long as it is open, or a 503 with Retry-After when all are taken.
 */
export function cappedStream(
  c: Context,
  { streams }: Pick<RouteDeps, "streams">,
  pump: (stream: SSEStreamingApi) => Promise<void>,
  onError?: (error: Error, stream: SSEStreamingApi) => Promise<void>,
) {
  const release = streams ? streams.take() : () => {};
  if (!release) {
    c.header("Retry-After", String(RETRY_AFTER_SECONDS));
    return sendError(
      c,
      503,
      "busy",
      `the node has its ${streams?.max} event streams open (http.maxEventStreams): close a page or try again in ${RETRY_AFTER_SECONDS} s`,
    );
  }
  return streamSSE(
    c,
    async (stream) => {
      stream.onAbort(release);
      try {
        await pump(stream);
      } finally {
        release();
      }
    },
    onError,
  );
}

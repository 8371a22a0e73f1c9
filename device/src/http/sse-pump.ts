import type { SSEStreamingApi } from "hono/streaming";

export interface PumpOptions<E extends { type: string }> {
  /** The first event, sent with the reconnect delay. */
  hello: unknown;
  /** Starts the feed; returns the unsubscribe function. */
  subscribe(listener: (event: E) => void): () => void;
  heartbeatMs: number;
  /** Events waiting for a slow page beyond this are dropped, oldest first. */
  maxQueued: number;
  /** When some were dropped: an event that tells the page to refetch (none: drop silently). */
  resync?: string;
}

/**
 * Streams a live feed as Server-Sent Events, one SSE event per feed event
 * (its `type` as the SSE event name, the event as JSON), with a keep-alive
 * comment when quiet, until the client goes away.
 */
export async function pumpEvents<E extends { type: string }>(
  stream: SSEStreamingApi,
  options: PumpOptions<E>,
): Promise<void> {
  const queue: E[] = [];
  let dropped = 0;
  let wake: (() => void) | undefined;
  const unsubscribe = options.subscribe((event) => {
    if (queue.length >= options.maxQueued) {
      queue.shift();
      dropped++;
    }
    queue.push(event);
    wake?.();
  });
  stream.onAbort(() => wake?.());
  try {
    await stream.writeSSE({ event: "hello", data: JSON.stringify(options.hello), retry: 3000 });
    while (!stream.aborted && !stream.closed) {
      if (dropped > 0 && options.resync) {
        await stream.writeSSE({ event: options.resync, data: JSON.stringify({ dropped }) });
      }
      dropped = 0;
      const event = queue.shift();
      if (event) {
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), options.heartbeatMs);
      });
      clearTimeout(timer);
      wake = undefined;
      if (!woken) await stream.write(": keep-alive\n\n");
    }
  } finally {
    unsubscribe();
  }
}

/**
 * How many event streams may be open at once (`http.maxEventStreams`): each
 * holds a connection, a subscription and a queue, and a page that reconnects
 * in a loop, or a script, must not exhaust the node.
 */
export class StreamSlots {
  private open = 0;

  constructor(readonly max: number) {}

  /** A slot and the function that gives it back (once), or undefined when all are taken. */
  take(): (() => void) | undefined {
    if (this.open >= this.max) return undefined;
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
    };
  }
}

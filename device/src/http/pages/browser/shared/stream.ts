import { isObj, type Obj } from "@comptoir/contracts/browser";
import { ApiError, authHeaders, errorBodyOf, needsToken } from "./api.js";
import { sayError } from "./status.js";

type StreamState = "open" | "error";

/** Splits a Server-Sent Events block into its event name and parsed data; undefined when it has none. */
function parseBlock(block: string): { type: string; data: unknown } | undefined {
  let type = "message";
  const lines: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) lines.push(line.slice(5).replace(/^ /, ""));
  }
  if (lines.length === 0) return undefined;
  try {
    return { type, data: JSON.parse(lines.join("\n")) };
  } catch {
    return undefined;
  }
}

/**
 * An event stream of the API read with fetch (EventSource cannot send the
 * token header): onEvent(type, data) per event, onState("open" | "error");
 * reconnects by itself after an error. The data is untrusted: handlers check it.
 */
export function stream(
  path: string,
  onEvent: (type: string, data: unknown) => void,
  onState: (state: StreamState) => void,
): void {
  // A handler that fails says so on the page; it must not end the connection
  // (the catch below would reconnect, and leave this response open).
  const handle = (type: string, data: unknown) => {
    try {
      onEvent(type, data);
    } catch (error) {
      sayError(error);
    }
  };
  const run = async () => {
    try {
      const response = await fetch(`/api/v1${path}`, {
        headers: { accept: "text/event-stream", ...authHeaders() },
      });
      if (!response.ok || !response.body) {
        const data = await errorBodyOf(response);
        if (needsToken(response.status, data)) return;
        throw new ApiError(response.status, data);
      }
      onState("open");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const event = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) handle(event.type, event.data);
        }
      }
    } catch {
      // reconnect below
    }
    onState("error");
    setTimeout(run, 2000);
  };
  void run();
}

/**
 * Per event type of a stream, the check of its data (the network is
 * untrusted): the fields its handler reads as objects or keys. What a handler
 * only shows goes through `h`, as text.
 */
export type EventChecks<T extends { type: string }> = {
  readonly [K in T["type"]]: (data: Obj) => boolean;
};

/** The event, when `type` is one of `checks` and its data is an object of that type that passes the check. */
export function eventOf<T extends { type: string }>(
  checks: EventChecks<T>,
  type: string,
  data: unknown,
): T | undefined {
  if (!isObj(data) || data.type !== type || !Object.hasOwn(checks, type)) return undefined;
  const check: (data: Obj) => boolean = checks[type as T["type"]];
  return check(data) ? (data as unknown as T) : undefined;
}

import { ApiError, authHeaders, errorBodyOf, needsToken } from "./api.js";

export type StreamState = "open" | "error";

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
          if (event) onEvent(event.type, event.data);
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

/** True when an event's data is an object whose `type` is the SSE event name (every node event is). */
export function isEventOf<T extends { type: string }>(type: string, data: unknown): data is T {
  return typeof data === "object" && data !== null && "type" in data && data.type === type;
}

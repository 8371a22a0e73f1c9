import type { NodeEventView } from "@comptoir/contracts";
import { isEventOf, stream } from "./stream.js";

type Handler<T extends NodeEventView["type"]> = (
  event: Extract<NodeEventView, { type: T }>,
) => void;

/** What a page does on each of the node's live events; `resync`: it fell behind, reload the lists. */
export interface LiveHandlers {
  read?: Handler<"read">;
  scan?: Handler<"scan">;
  movement?: Handler<"movement">;
  stock?: Handler<"stock">;
  resync?: () => void;
}

const NODE_EVENTS: readonly string[] = ["read", "scan", "movement", "stock"];

function dispatch(handlers: LiveHandlers, type: string, data: unknown): void {
  if (type === "resync") {
    handlers.resync?.();
    return;
  }
  if (!NODE_EVENTS.includes(type) || !isEventOf<NodeEventView>(type, data)) return;
  if (data.type === "read") handlers.read?.(data);
  else if (data.type === "scan") handlers.scan?.(data);
  else if (data.type === "movement") handlers.movement?.(data);
  else handlers.stock?.(data);
}

/** Subscribes to the node's live events (`#live` shows the link); reconnects by itself. */
export function live(handlers: LiveHandlers): void {
  const indicator = document.querySelector<HTMLElement>("#live");
  const mark = (text: string, kind: "ok" | "error") => {
    if (indicator) {
      indicator.textContent = text;
      indicator.dataset.kind = kind;
    }
  };
  stream(
    "/events",
    (type, data) => {
      if (type === "hello") mark("live", "ok");
      dispatch(handlers, type, data);
    },
    (state) => (state === "open" ? mark("live", "ok") : mark("reconnecting\u2026", "error")),
  );
}

import type { NodeEventView } from "@comptoir/contracts";
import { isObj, isStr } from "@comptoir/contracts/browser";
import { isAlert } from "./alerts.js";
import { isDockOrder } from "./dock-form.js";
import { type EventChecks, eventOf, stream } from "./stream.js";

type Handler<T extends NodeEventView["type"]> = (
  event: Extract<NodeEventView, { type: T }>,
) => void;

/** What a page does on each of the node's live events; `resync`: it fell behind, reload the lists. */
export interface LiveHandlers {
  read?: Handler<"read">;
  scan?: Handler<"scan">;
  movement?: Handler<"movement">;
  stock?: Handler<"stock">;
  /** Goods left under credit hold: shown at once. */
  alert?: Handler<"alert">;
  /** The dock's order or its state changed. */
  dock?: Handler<"dock">;
  resync?: () => void;
}

/** A read or movement names its tag; stock rows are a list. */
const withEpc = (value: unknown) => isObj(value) && isStr(value.epc);
const NODE_EVENTS: EventChecks<NodeEventView> = {
  read: (data) => withEpc(data.read),
  scan: (data) => withEpc(data.read),
  movement: (data) => withEpc(data.movement),
  stock: (data) => Array.isArray(data.rows) && data.rows.every(isObj),
  alert: (data) => isAlert(data.alert),
  dock: (data) => isDockOrder(data.dock),
};

function dispatch(handlers: LiveHandlers, type: string, data: unknown): void {
  if (type === "resync") {
    handlers.resync?.();
    return;
  }
  const event = eventOf(NODE_EVENTS, type, data);
  if (event?.type === "read") handlers.read?.(event);
  else if (event?.type === "scan") handlers.scan?.(event);
  else if (event?.type === "movement") handlers.movement?.(event);
  else if (event?.type === "stock") handlers.stock?.(event);
  else if (event?.type === "alert") handlers.alert?.(event);
  else if (event?.type === "dock") handlers.dock?.(event);
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

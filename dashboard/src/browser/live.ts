/**
 * The live feed client: connects to /ws, authenticates with its first
 * message (the token stays out of URLs and logs), applies the snapshot and
 * each event, and on a drop reconnects with backoff and resumes from the last
 * event id. A message that does not parse or has an unexpected shape is
 * counted and ignored.
 */
import { isInt, isObj, isStr, type Obj, session } from "./core.js";
import {
  addAlert,
  addMovements,
  can,
  changed,
  data,
  gotSnapshot,
  isAlert,
  isCreditDecision,
  isDiscrepancy,
  isMovement,
  isStockRow,
  putStock,
  refreshNodesSoon,
  setNodes,
  setStock,
} from "./data.js";
import { isOrderChange } from "./orders-data.js";
import { isAnalyticsAlert } from "./value-data.js";

type LiveState = "off" | "connecting" | "live";

export const live: {
  lastId: number | null;
  state: LiveState;
  resumes: number;
  snapshots: number;
  ignored: number;
} = { lastId: null, state: "off", resumes: 0, snapshots: 0, ignored: 0 };
let socket: WebSocket | null = null;
let retry = 0;
let stopped = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function show(state: LiveState, text: string): void {
  live.state = state;
  const badge = document.getElementById("live");
  if (!badge) return;
  badge.dataset.kind = state === "live" ? "ok" : state === "connecting" ? "wait" : "off";
  badge.textContent = text;
  document.body.dataset.live = state;
  document.body.dataset.resumes = String(live.resumes);
}

function ignore(): void {
  live.ignored += 1;
  document.body.dataset.ignored = String(live.ignored);
}

function applySnapshot(message: Obj): void {
  if (!isInt(message.lastId) || !Array.isArray(message.stock) || !Array.isArray(message.nodes)) {
    ignore();
    return;
  }
  live.lastId = message.lastId;
  live.snapshots += 1;
  if (can("stock:read")) setStock(message.stock);
  if (can("nodes:read")) setNodes(message.nodes);
  gotSnapshot();
  show("live", "live");
}

/** Applies one event's data; false when its shape is not the type's. */
function applyEvent(type: string, at: string, event: Obj): boolean {
  switch (type) {
    case "movement":
      if (!isMovement(event)) return false;
      if (can("movements:read")) addMovements([event], true);
      return true;
    case "stock":
      if (!isStockRow(event)) return false;
      if (can("stock:read")) putStock(event);
      return true;
    case "node": {
      if (!isStr(event.id) || !isStr(event.change)) return false;
      if (event.change === "broken" && isInt(event.seq) && isStr(event.reason)) {
        const node = data.nodes.get(event.id);
        if (node) {
          node.chain = {
            state: "broken",
            seq: event.seq,
            reason: event.reason,
            detail: isStr(event.detail) ? event.detail : "",
          };
          changed("nodes");
        }
      }
      refreshNodesSoon();
      return true;
    }
    case "alert":
      if (!isAlert(event)) return false;
      addAlert({
        level: event.level,
        message: event.message,
        node: isStr(event.node) ? event.node : null,
        customer: isStr(event.customer) ? event.customer : null,
        code: isStr(event.code) ? event.code : null,
        at,
      });
      // Over or back within a credit limit: the customers' figures moved.
      if (isStr(event.customer)) changed("credit");
      return true;
    case "credit":
      if (!isCreditDecision(event)) return false;
      data.credit.unshift({ ...event, at });
      data.credit.length = Math.min(data.credit.length, 100);
      changed("credit");
      return true;
    case "order":
      if (!isOrderChange(event)) return false;
      // The gateway sends it only to a role that may read orders.
      data.lastOrderChange = { ...event, at };
      changed("orders");
      return true;
    case "analytics":
      // An alert raised or cleared (margin, slow mover, reorder): the Value page asks again.
      if (!isAnalyticsAlert(event)) return false;
      changed("analytics");
      return true;
    case "discrepancy":
      if (!isDiscrepancy(event)) return false;
      data.discrepancies.unshift({ ...event, at });
      data.discrepancies.length = Math.min(data.discrepancies.length, 100);
      changed("discrepancy");
      return true;
    default:
      return false;
  }
}

/** Applies one message; false when it is not one the feed sends (counted as ignored). */
function apply(message: unknown): boolean {
  if (!isObj(message) || !isStr(message.type)) return false;
  if (message.type === "snapshot") {
    applySnapshot(message);
    return true;
  }
  if (message.type === "resume") {
    live.resumes += 1;
    show("live", "live · resumed");
    return true;
  }
  if (message.type === "pong" || message.type === "error") return true;
  if (!isInt(message.id) || !isStr(message.at) || !isObj(message.data)) return false;
  if (live.lastId !== null && message.id <= live.lastId) return true;
  if (!applyEvent(message.type, message.at, message.data)) return false;
  live.lastId = message.id;
  return true;
}

function connect(): void {
  if (stopped || !session.token) return;
  show("connecting", retry === 0 ? "connecting…" : "reconnecting…");
  const url = `${location.protocol === "https:" ? "wss://" : "ws://"}${location.host}/ws`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener("open", () => {
    const auth: { type: "auth"; token: string | null; since?: number } = {
      type: "auth",
      token: session.token,
    };
    if (live.lastId !== null) auth.since = live.lastId;
    ws.send(JSON.stringify(auth));
    retry = 0;
  });
  ws.addEventListener("message", (message: MessageEvent<unknown>) => {
    let value: unknown;
    try {
      value = typeof message.data === "string" ? JSON.parse(message.data) : undefined;
    } catch {
      value = undefined;
    }
    if (!apply(value)) ignore();
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    if (stopped) return;
    if (event.code === 4401 || event.code === 4403) {
      show("off", `live feed refused: ${event.reason || "token"}`);
      return;
    }
    retry += 1;
    const wait = Math.min(10000, 250 * 2 ** Math.min(retry, 6));
    show("connecting", "reconnecting…");
    timer = setTimeout(connect, wait);
  });
}

export function startLive(): void {
  stopped = false;
  connect();
}

export function stopLive(): void {
  stopped = true;
  clearTimeout(timer);
  if (socket) socket.close();
  socket = null;
  show("off", "offline");
}

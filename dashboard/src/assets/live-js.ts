/**
 * The live feed client, served as `/dashboard/assets/live.js`: connects to
 * /ws, authenticates with its first message (the token stays out of URLs and
 * logs), applies the snapshot and each event, and on a drop reconnects with
 * backoff and resumes from the last event id. A message that does not parse
 * or has an unexpected shape is counted and ignored.
 */
export const LIVE_JS = String.raw`
import { isInt, isObj, isStr, session } from "./core.js";
import {
  addAlert, addMovements, can, changed, data, gotSnapshot, isMovement, isStockRow, putStock, refreshNodesSoon, setNodes, setStock,
} from "./data.js";

export const live = { lastId: null, state: "off", resumes: 0, snapshots: 0, ignored: 0 };
let socket = null;
let retry = 0;
let stopped = false;
let timer = null;

function show(state, text) {
  live.state = state;
  const badge = document.getElementById("live");
  if (!badge) return;
  badge.dataset.kind = state === "live" ? "ok" : state === "connecting" ? "wait" : "off";
  badge.textContent = text;
  document.body.dataset.live = state;
  document.body.dataset.resumes = String(live.resumes);
}

function ignore() {
  live.ignored += 1;
  document.body.dataset.ignored = String(live.ignored);
}

function apply(message) {
  if (!isObj(message) || !isStr(message.type)) return ignore();
  if (message.type === "snapshot") {
    if (!isInt(message.lastId) || !Array.isArray(message.stock) || !Array.isArray(message.nodes)) return ignore();
    live.lastId = message.lastId;
    live.snapshots += 1;
    if (can("stock:read")) setStock(message.stock);
    if (can("nodes:read")) setNodes(message.nodes);
    gotSnapshot();
    show("live", "live");
    return;
  }
  if (message.type === "resume") {
    live.resumes += 1;
    show("live", "live · resumed");
    return;
  }
  if (message.type === "pong" || message.type === "error") return;
  if (!isInt(message.id) || !isStr(message.at) || !isObj(message.data)) return ignore();
  if (live.lastId !== null && message.id <= live.lastId) return;
  const event = message.data;
  switch (message.type) {
    case "movement":
      if (!isMovement(event)) return ignore();
      if (can("movements:read")) addMovements([event], true);
      break;
    case "stock":
      if (!isStockRow(event)) return ignore();
      if (can("stock:read")) putStock(event);
      break;
    case "node":
      if (!isStr(event.id) || !isStr(event.change)) return ignore();
      if (event.change === "broken" && isInt(event.seq) && isStr(event.reason)) {
        const node = data.nodes.get(event.id);
        if (node) {
          node.chain = { state: "broken", seq: event.seq, reason: event.reason, detail: isStr(event.detail) ? event.detail : "" };
          changed("nodes");
        }
      }
      refreshNodesSoon();
      break;
    case "alert":
      if (!isStr(event.level) || !isStr(event.message)) return ignore();
      addAlert({
        level: event.level, message: event.message, node: isStr(event.node) ? event.node : null,
        customer: isStr(event.customer) ? event.customer : null, code: isStr(event.code) ? event.code : null, at: message.at,
      });
      // Over or back within a credit limit: the customers' figures moved.
      if (isStr(event.customer)) changed("credit");
      break;
    case "credit":
      data.credit.unshift({ at: message.at, ...event });
      data.credit.length = Math.min(data.credit.length, 100);
      changed("credit");
      break;
    case "discrepancy":
      data.discrepancies.unshift({ at: message.at, ...event });
      data.discrepancies.length = Math.min(data.discrepancies.length, 100);
      changed("discrepancy");
      break;
    default:
      return ignore();
  }
  live.lastId = message.id;
}

function connect() {
  if (stopped || !session.token) return;
  show("connecting", retry === 0 ? "connecting…" : "reconnecting…");
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener("open", () => {
    const auth = { type: "auth", token: session.token };
    if (live.lastId !== null) auth.since = live.lastId;
    ws.send(JSON.stringify(auth));
    retry = 0;
  });
  ws.addEventListener("message", (message) => {
    if (typeof message.data !== "string") return ignore();
    let value;
    try {
      value = JSON.parse(message.data);
    } catch {
      return ignore();
    }
    apply(value);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    if (stopped) return;
    if (event.code === 4401 || event.code === 4403) {
      show("off", "live feed refused: " + (event.reason || "token"));
      return;
    }
    retry += 1;
    const wait = Math.min(10000, 250 * 2 ** Math.min(retry, 6));
    show("connecting", "reconnecting…");
    timer = setTimeout(connect, wait);
  });
}

export function startLive() {
  stopped = false;
  connect();
}

export function stopLive() {
  stopped = true;
  clearTimeout(timer);
  if (socket) socket.close();
  socket = null;
  show("off", "offline");
}
`;

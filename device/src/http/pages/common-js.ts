import { DOM_JS } from "@comptoir/contracts";

/**
 * Helpers shared by the node's pages, served as the ES module `/assets/common.js`.
 * Every piece of data reaches the DOM through text nodes (textContent), never as markup.
 */
export const COMMON_JS = String.raw`
${DOM_JS}
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error.message : "HTTP " + status);
    this.status = status;
    this.body = body;
  }
}

// This terminal's token, given once by a person and kept in this browser's
// localStorage; sent as a header, never in a URL. Absent in kiosk mode.
const TOKEN_KEY = "comptoir.terminal-token";
// The signed-in clerk's session (POS): in memory only, a reload signs out.
let clerkSession = null;

export function setClerkSession(session) {
  clerkSession = session;
}

function authHeaders() {
  const headers = {};
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = "Bearer " + token;
  if (clerkSession) headers["x-clerk-session"] = clerkSession;
  return headers;
}

/** Asks once for the terminal token (the node answered 401 without one), keeps it, reloads. */
function askToken(message) {
  if (document.querySelector("#token-dialog")) return;
  const input = h("input", { type: "password", autocomplete: "off", "aria-label": "terminal token", id: "token-input" });
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", {}, "Terminal token"),
    h("p", {}, message),
    h("p", {}, "Ask the node's administrator for this terminal's token (comptoir node token create)."),
    input,
    h("button", { type: "submit", id: "token-save" }, "Save"),
  );
  const dialog = h("dialog", { id: "token-dialog" }, form);
  form.addEventListener("submit", () => {
    const token = input.value.trim();
    if (token) localStorage.setItem(TOKEN_KEY, token);
    location.reload();
  });
  document.body.append(dialog);
  dialog.showModal();
}

function needsToken(status, data) {
  const code = data && data.error && data.error.code;
  if (status === 401 && (code === "no_token" || code === "bad_token")) {
    if (code === "bad_token") localStorage.removeItem(TOKEN_KEY);
    askToken(data.error.message);
    return true;
  }
  return false;
}

export async function api(method, path, body) {
  const init = { method, headers: { accept: "application/json", ...authHeaders() } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch("/api/v1" + path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    needsToken(response.status, data);
    throw new ApiError(response.status, data);
  }
  return data;
}

/**
 * An event stream of the API read with fetch (EventSource cannot send the
 * token header): onEvent(type, data) per event, onState("open"|"error");
 * reconnects by itself after an error.
 */
export function stream(path, onEvent, onState) {
  const run = async () => {
    try {
      const response = await fetch("/api/v1" + path, { headers: { accept: "text/event-stream", ...authHeaders() } });
      if (!response.ok || !response.body) {
        const data = await response.json().catch(() => null);
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
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = "message";
          const data = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) type = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          }
          if (data.length === 0) continue;
          let event;
          try {
            event = JSON.parse(data.join("\n"));
          } catch {
            continue;
          }
          onEvent(type, event);
        }
      }
    } catch {
      // reconnect below
    }
    onState("error");
    setTimeout(run, 2000);
  };
  run();
}

export function time(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
}

export function place(zone) {
  return zone === null || zone === undefined ? "off site" : zone;
}

export function product(sku, identity) {
  if (sku) return sku;
  if (identity && identity.gtin) return "GTIN " + identity.gtin + " (not commissioned)";
  return "unknown (not commissioned)";
}

export function say(text, kind) {
  const status = $("#status");
  status.textContent = text;
  status.dataset.kind = kind || "info";
}

export function sayError(error) {
  const problems = error && error.body && error.body.error && error.body.error.problems;
  say(problems ? problems.map((p) => (p.path ? p.path + ": " : "") + p.message).join("; ") : String(error.message || error), "error");
}

export function movementLine(movement) {
  return h(
    "li",
    { className: "movement", dataset: { epc: movement.epc, seq: String(movement.seq) } },
    h("span", { className: "when" }, time(movement.at)),
    " ",
    h("span", { className: "kind" }, movement.kind),
    " ",
    h("code", {}, movement.epc),
    " ",
    h("span", { className: "sku" }, movement.sku || (movement.gtin ? "GTIN " + movement.gtin : "?")),
    " ",
    h("span", { className: "route" }, place(movement.from) + " \u2192 " + place(movement.to)),
    movement.reason ? h("span", { className: "reason" }, " (" + movement.reason + ")") : null,
  );
}

export function readLine(read) {
  return h(
    "li",
    { className: "read", dataset: { epc: read.epc } },
    h("span", { className: "when" }, time(read.hostTime)),
    " ",
    h("code", {}, read.epc),
    " ",
    h("span", { className: "where" }, read.reader + "#" + read.antenna),
    read.rssi !== undefined ? h("span", { className: "rssi" }, " " + read.rssi + " dBm") : null,
  );
}

/** Prepends an item to a list, keeping at most max entries. */
export function prepend(list, item, max) {
  list.prepend(item);
  while (list.children.length > max) list.lastElementChild.remove();
}

/** Subscribes to the node's live events; onEvent(type, event); reconnects by itself. */
export function live(handlers) {
  const indicator = document.querySelector("#live");
  const mark = (text, kind) => {
    if (indicator) {
      indicator.textContent = text;
      indicator.dataset.kind = kind;
    }
  };
  stream(
    "/events",
    (type, event) => {
      if (type === "hello") mark("live", "ok");
      const handler = handlers[type];
      if (handler) handler(event);
    },
    (state) => (state === "open" ? mark("live", "ok") : mark("reconnecting\u2026", "error")),
  );
}

export async function showNode() {
  const node = await api("GET", "/node");
  $("#node").textContent = node.node + " \u00b7 " + node.role;
  watchChain();
  return node;
}

// Issue 13, item 16: when the gateway said it stores nothing of this node's chain from a seq
// on, every page says so at the top (from /health, checked at load and every 30 s).
let chainWatched = false;
function watchChain() {
  if (chainWatched) return;
  chainWatched = true;
  const check = () => showChain().catch(() => {});
  check();
  setInterval(check, 30000);
}

export async function showChain() {
  const response = await fetch("/health", { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  const chain = body && body.parts && body.parts.chain;
  let banner = document.getElementById("chain");
  if (!chain || chain.ok) {
    if (banner) banner.remove();
    return;
  }
  if (!banner) {
    banner = h("p", { id: "chain" });
    banner.setAttribute("role", "alert");
    document.body.prepend(banner);
  }
  banner.textContent = "Ledger " + chain.detail + ". Tell the site's administrator.";
}

export function dockForm(onChange) {
  const form = $("#dock-form");
  const order = form.querySelector("[name=order]");
  const customer = form.querySelector("[name=customer]");
  const current = $("#dock-current");
  const show = (dock) => {
    current.textContent = dock.order ? dock.order + (dock.customer ? " for " + dock.customer : "") : "none";
    if (onChange) onChange(dock);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const body = { order: order.value.trim() || null, customer: customer.value.trim() || null };
      show(await api("PUT", "/dock/order", body));
      say("dock order set", "ok");
    } catch (error) {
      sayError(error);
    }
  });
  api("GET", "/dock/order").then(show, sayError);
}
`;

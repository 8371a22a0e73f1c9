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

export async function api(method, path, body) {
  const init = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch("/api/v1" + path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
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
  const source = new EventSource("/api/v1/events");
  const indicator = document.querySelector("#live");
  const mark = (text, kind) => {
    if (indicator) {
      indicator.textContent = text;
      indicator.dataset.kind = kind;
    }
  };
  source.addEventListener("open", () => mark("live", "ok"));
  source.addEventListener("error", () => mark("reconnecting\u2026", "error"));
  for (const type of ["hello", "read", "scan", "movement", "stock", "resync"]) {
    source.addEventListener(type, (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (type === "hello") mark("live", "ok");
      const handler = handlers[type];
      if (handler) handler(event);
    });
  }
  return source;
}

export async function showNode() {
  const node = await api("GET", "/node");
  $("#node").textContent = node.node + " \u00b7 " + node.role;
  return node;
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

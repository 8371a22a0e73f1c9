import type {
  Assigned,
  AssignRequest,
  CycleCounted,
  CycleCountRequest,
  Moved,
  MoveRequest,
  TagInfo,
  Zones,
} from "@comptoir/contracts";
import { $, clear, h, place } from "@comptoir/contracts/browser";
import { addAlert, showAlerts } from "./shared/alerts.js";
import { api } from "./shared/api.js";
import { commissionForm } from "./shared/commission-form.js";
import { dockForm } from "./shared/dock-form.js";
import { product } from "./shared/format.js";
import { movementLine } from "./shared/lines.js";
import { live } from "./shared/live.js";
import { showNode } from "./shared/node-header.js";
import { loadProducts, nameOf } from "./shared/products.js";
import { say, sayError } from "./shared/status.js";

/**
 * The station page (`/station`): scan items, see where each is, move them,
 * put them aside for the dock's order, count a zone.
 */

const items = $("#items");
const zoneInput = $<HTMLInputElement>("#zone");
const zoneList = $("#zones");
const scanned = new Map<string, TagInfo>();

function selected(): string[] {
  return [...items.querySelectorAll<HTMLInputElement>("input.pick:checked")].map(
    (box) => box.value,
  );
}

function itemOf(epc: string): HTMLElement | null {
  return items.querySelector<HTMLElement>(`:scope > li[data-epc="${epc}"]`);
}

function card(info: TagInfo): HTMLLIElement {
  const box = h("input", {
    type: "checkbox",
    className: "pick",
    value: info.epc,
    checked: true,
    "aria-label": `select ${info.epc}`,
  });
  const previous = itemOf(info.epc)?.querySelector<HTMLInputElement>("input.pick");
  if (previous) box.checked = previous.checked;
  const sku = info.place ? info.place.sku : null;
  const parts: HTMLElement[] = [
    h(
      "div",
      { className: "head" },
      h("label", {}, box, " ", h("code", {}, info.epc)),
      h(
        "button",
        {
          type: "button",
          className: "remove",
          onclick: () => forget(info.epc),
          "aria-label": `remove ${info.epc}`,
        },
        "\u00d7",
      ),
    ),
    h(
      "div",
      { className: "product" },
      nameOf(sku, info.identity?.gtin) ?? product(sku, info.identity),
    ),
    h(
      "div",
      { className: "zone" },
      "zone: ",
      h("strong", {}, place(info.place ? info.place.zone : null)),
    ),
    h("ol", { className: "history" }, ...info.movements.slice(0, 3).map(movementLine)),
  ];
  if (!sku) parts.push(commissionForm(info.epc, () => refresh(info.epc)));
  return h("li", { className: "item", dataset: { epc: info.epc } }, ...parts);
}

async function refresh(epc: string): Promise<TagInfo> {
  const info = await api<TagInfo>("GET", `/tags/${encodeURIComponent(epc)}`);
  const fresh = card(info);
  const old = itemOf(info.epc);
  if (old) old.replaceWith(fresh);
  else items.prepend(fresh);
  scanned.set(info.epc, info);
  $("#count").textContent = String(scanned.size);
  return info;
}

function forget(epc: string): void {
  scanned.delete(epc);
  itemOf(epc)?.remove();
  $("#count").textContent = String(scanned.size);
}

async function scan(raw: string): Promise<void> {
  const epc = String(raw).trim().toUpperCase();
  if (!epc) return;
  try {
    await refresh(epc);
    say(`scanned ${epc}`, "ok");
  } catch (error) {
    sayError(error);
  }
}

$("#scan-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("#scan");
  const value = input.value;
  input.value = "";
  void scan(value);
});

/** Runs a station action, says what it did, and shows every scanned item anew. */
async function act<T>(
  path: string,
  body: MoveRequest | AssignRequest | CycleCountRequest,
  done: (result: T) => string,
) {
  try {
    const result = await api<T>("POST", path, body);
    say(done(result), "ok");
    await Promise.all([...scanned.keys()].map((epc) => refresh(epc)));
    return result;
  } catch (error) {
    sayError(error);
    return undefined;
  }
}

/** The selected items and the zone typed: the body of a move and of an assignment. */
function chosen(): MoveRequest & AssignRequest {
  return { epcs: selected(), zone: zoneInput.value.trim() };
}

$("#move").addEventListener("click", () =>
  act<Moved>("/station/move", chosen(), (r) => {
    const skipped = r.skipped.length ? ` (${r.skipped.length} already there)` : "";
    return `moved ${r.moved.length} to ${r.zone}${skipped}`;
  }),
);

$("#assign").addEventListener("click", () =>
  act<Assigned>(
    "/station/assign",
    chosen(),
    (r) => `assigned ${r.assigned.length} to order ${r.order} in ${r.zone}`,
  ),
);

$<HTMLFormElement>("#count-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body: CycleCountRequest = {
    zone: $<HTMLInputElement>("#count-form [name=zone]").value.trim(),
    seen: [...scanned.keys()],
    reason: $<HTMLInputElement>("#count-form [name=reason]").value.trim(),
  };
  const result = await act<CycleCounted>(
    "/station/cycle-count",
    body,
    (r) => `counted ${r.zone}: ${r.adjustments} adjustment(s)`,
  );
  const out = $("#count-result");
  if (!result) return;
  clear(
    out,
    h(
      "p",
      {},
      `expected ${result.expected}, seen ${result.seen}, adjustments ${result.adjustments}`,
    ),
    h("p", {}, "missing: ", result.missing.length ? result.missing.join(", ") : "none"),
    h("p", {}, "unexpected: ", result.unexpected.length ? result.unexpected.join(", ") : "none"),
  );
});

$("#clear").addEventListener("click", () => {
  for (const epc of [...scanned.keys()]) forget(epc);
});

async function loadZones(): Promise<void> {
  const { zones } = await api<Zones>("GET", "/zones");
  clear(zoneList, ...zones.map((zone) => h("option", { value: zone })));
}

live({
  scan: (event) => void scan(event.read.epc),
  movement: (event) => {
    if (scanned.has(event.movement.epc)) refresh(event.movement.epc).catch(sayError);
  },
  stock: () => loadZones().catch(sayError),
  alert: (event) => addAlert(event.alert),
  dock: (event) => showDock(event.dock),
});

showNode().then((node) => showAlerts(node.alerts), sayError);
const showDock = dockForm((dock) => {
  $("#assign").textContent = dock.order
    ? `Assign to order ${dock.order}`
    : "Assign to order (none set)";
});
Promise.all([loadZones(), loadProducts()]).then(() => {
  document.body.dataset.ready = "true";
}, sayError);

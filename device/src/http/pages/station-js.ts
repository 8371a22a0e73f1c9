/** The station page's script, served as the ES module `/assets/station.js`. */
export const STATION_JS = String.raw`
import { $, api, clear, dockForm, h, live, movementLine, place, product, say, sayError, showNode } from "./common.js";

const items = $("#items");
const zoneInput = $("#zone");
const zoneList = $("#zones");
const scanned = new Map();

function selected() {
  return [...items.querySelectorAll("input.pick:checked")].map((box) => box.value);
}

function card(info) {
  const box = h("input", { type: "checkbox", className: "pick", value: info.epc, checked: true, "aria-label": "select " + info.epc });
  const previous = items.querySelector(":scope > li[data-epc=\"" + info.epc + "\"] input.pick");
  if (previous) box.checked = previous.checked;
  const sku = info.place ? info.place.sku : null;
  const parts = [
    h("div", { className: "head" },
      h("label", {}, box, " ", h("code", {}, info.epc)),
      h("button", { type: "button", className: "remove", onclick: () => forget(info.epc), "aria-label": "remove " + info.epc }, "\u00d7"),
    ),
    h("div", { className: "product" }, product(sku, info.identity)),
    h("div", { className: "zone" }, "zone: ", h("strong", {}, place(info.place ? info.place.zone : null))),
    h("ol", { className: "history" }, ...info.movements.slice(0, 3).map(movementLine)),
  ];
  if (!sku) parts.push(commissionForm(info));
  return h("li", { className: "item", dataset: { epc: info.epc } }, ...parts);
}

function commissionForm(info) {
  const sku = h("input", { name: "sku", placeholder: "SKU", required: true, autocomplete: "off", "aria-label": "SKU for " + info.epc });
  const gtin = h("input", { name: "gtin", placeholder: "GTIN (optional)", inputmode: "numeric", autocomplete: "off", "aria-label": "GTIN for " + info.epc });
  const form = h("form", { className: "commission" }, sku, gtin, h("button", { type: "submit" }, "Commission"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { epc: info.epc, sku: sku.value.trim() };
    if (gtin.value.trim()) body.gtin = gtin.value.trim();
    try {
      const result = await api("POST", "/tags/commission", body);
      say("commissioned " + result.epc + " as " + result.sku, "ok");
      await refresh(info.epc);
    } catch (error) {
      sayError(error);
    }
  });
  return form;
}

async function refresh(epc) {
  const info = await api("GET", "/tags/" + encodeURIComponent(epc));
  const fresh = card(info);
  const old = items.querySelector(":scope > li[data-epc=\"" + info.epc + "\"]");
  if (old) old.replaceWith(fresh);
  else items.prepend(fresh);
  scanned.set(info.epc, info);
  $("#count").textContent = String(scanned.size);
  return info;
}

function forget(epc) {
  scanned.delete(epc);
  const old = items.querySelector(":scope > li[data-epc=\"" + epc + "\"]");
  if (old) old.remove();
  $("#count").textContent = String(scanned.size);
}

async function scan(raw) {
  const epc = String(raw).trim().toUpperCase();
  if (!epc) return;
  try {
    await refresh(epc);
    say("scanned " + epc, "ok");
  } catch (error) {
    sayError(error);
  }
}

$("#scan-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#scan");
  const value = input.value;
  input.value = "";
  scan(value);
});

async function act(path, body, done) {
  try {
    const result = await api("POST", path, body);
    say(done(result), "ok");
    await Promise.all([...scanned.keys()].map((epc) => refresh(epc)));
    return result;
  } catch (error) {
    sayError(error);
  }
}

$("#move").addEventListener("click", () =>
  act("/station/move", { epcs: selected(), zone: zoneInput.value.trim() }, (r) =>
    "moved " + r.moved.length + " to " + r.zone + (r.skipped.length ? " (" + r.skipped.length + " already there)" : ""),
  ),
);

$("#assign").addEventListener("click", () =>
  act("/station/assign", { epcs: selected(), zone: zoneInput.value.trim() }, (r) =>
    "assigned " + r.assigned.length + " to order " + r.order + " in " + r.zone,
  ),
);

$("#count-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    zone: form.querySelector("[name=zone]").value.trim(),
    seen: [...scanned.keys()],
    reason: form.querySelector("[name=reason]").value.trim(),
  };
  const result = await act("/station/cycle-count", body, (r) =>
    "counted " + r.zone + ": " + r.adjustments + " adjustment(s)",
  );
  const out = $("#count-result");
  if (!result) return;
  clear(out,
    h("p", {}, "expected " + result.expected + ", seen " + result.seen + ", adjustments " + result.adjustments),
    h("p", {}, "missing: ", result.missing.length ? result.missing.join(", ") : "none"),
    h("p", {}, "unexpected: ", result.unexpected.length ? result.unexpected.join(", ") : "none"),
  );
});

$("#clear").addEventListener("click", () => {
  for (const epc of [...scanned.keys()]) forget(epc);
});

async function loadZones() {
  const { zones } = await api("GET", "/zones");
  clear(zoneList, ...zones.map((zone) => h("option", { value: zone })));
}

live({
  scan: (event) => scan(event.read.epc),
  movement: (event) => {
    if (scanned.has(event.movement.epc)) refresh(event.movement.epc).catch(sayError);
  },
  stock: () => loadZones().catch(sayError),
});

showNode().catch(sayError);
dockForm((dock) => {
  $("#assign").textContent = dock.order ? "Assign to order " + dock.order : "Assign to order (none set)";
});
loadZones().then(() => { document.body.dataset.ready = "true"; }, sayError);
`;

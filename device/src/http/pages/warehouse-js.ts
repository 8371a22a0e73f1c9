/** The warehouse page's script, served as the ES module `/assets/warehouse.js`. */
export const WAREHOUSE_JS = `
import { $, api, clear, dockForm, h, live, movementLine, prepend, readLine, say, sayError, showNode } from "./common.js";

const reads = $("#reads");
const movements = $("#movements");
const stock = $("#stock");
const unknown = $("#unknown");
const zoneFilter = $("#zone-filter");
let lastRows = [];

function renderStock(rows) {
  const zone = zoneFilter.value;
  const shown = zone ? rows.filter((row) => row.zone === zone) : rows;
  const zones = [...new Set(rows.map((row) => row.zone))].sort();
  const selected = zoneFilter.value;
  clear(zoneFilter, h("option", { value: "" }, "all zones"), ...zones.map((z) => h("option", { value: z }, z)));
  zoneFilter.value = zones.includes(selected) ? selected : "";
  shown.sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : String(a.sku) < String(b.sku) ? -1 : 1));
  clear(
    stock,
    ...shown.map((row) =>
      h("tr", { dataset: { zone: row.zone, sku: row.sku || "" } },
        h("td", {}, row.zone),
        h("td", {}, row.sku || (row.gtin ? "GTIN " + row.gtin : "uncommissioned")),
        h("td", { className: "count" }, String(row.count)),
      ),
    ),
  );
  if (shown.length === 0) stock.append(h("tr", {}, h("td", { colspan: "3", className: "empty" }, "no stock")));
  lastRows = rows;
}

zoneFilter.addEventListener("change", () => renderStock(lastRows));

/** Keeps the forms of tags still waiting (and what staff typed in them), adds new ones, drops the rest. */
function renderUnknown(tags) {
  const existing = new Map();
  for (const item of unknown.querySelectorAll(":scope > li[data-epc]")) existing.set(item.dataset.epc, item);
  clear(unknown, ...tags.map((tag) => existing.get(tag.epc) || unknownItem(tag)));
  if (tags.length === 0) unknown.append(h("li", { className: "empty" }, "none waiting"));
}

function unknownItem(tag) {
  const sku = h("input", { name: "sku", placeholder: "SKU", required: true, autocomplete: "off", "aria-label": "SKU for " + tag.epc });
  const gtin = h("input", { name: "gtin", placeholder: "GTIN (optional)", inputmode: "numeric", autocomplete: "off", "aria-label": "GTIN for " + tag.epc });
  const form = h("form", { className: "commission", dataset: { epc: tag.epc } },
    h("code", {}, tag.epc),
    h("span", { className: "zone" }, tag.zone || "off site"),
    sku, gtin,
    h("button", { type: "submit" }, "Commission"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { epc: tag.epc, sku: sku.value.trim() };
    if (gtin.value.trim()) body.gtin = gtin.value.trim();
    try {
      const result = await api("POST", "/tags/commission", body);
      say("commissioned " + result.epc + " as " + result.sku, "ok");
      await refreshUnknown();
    } catch (error) {
      sayError(error);
    }
  });
  return h("li", { dataset: { epc: tag.epc } }, form);
}

async function refreshUnknown() {
  renderUnknown((await api("GET", "/tags/unknown")).tags);
}

async function refreshAll() {
  const [r, m, s] = await Promise.all([
    api("GET", "/reads/recent?limit=20"),
    api("GET", "/movements/recent?limit=20"),
    api("GET", "/stock"),
  ]);
  clear(reads, ...r.reads.map(readLine));
  clear(movements, ...m.movements.map(movementLine));
  renderStock(s.rows);
  await refreshUnknown();
}

live({
  read: (event) => prepend(reads, readLine(event.read), 20),
  movement: (event) => prepend(movements, movementLine(event.movement), 20),
  stock: (event) => {
    renderStock(event.rows);
    refreshUnknown().catch(sayError);
  },
  resync: () => refreshAll().catch(sayError),
});

showNode().catch(sayError);
dockForm();
refreshAll().then(() => { document.body.dataset.ready = "true"; }, sayError);
`;

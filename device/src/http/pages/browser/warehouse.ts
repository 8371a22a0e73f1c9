import type {
  NodeStock,
  NodeStockRow,
  RecentMovements,
  RecentReads,
  UnknownTag,
  UnknownTags,
} from "@comptoir/contracts";
import { $, clear, h } from "@comptoir/contracts/browser";
import { addAlert, showAlerts } from "./shared/alerts.js";
import { api } from "./shared/api.js";
import { commissionForm } from "./shared/commission-form.js";
import { dockForm } from "./shared/dock-form.js";
import { fieldFrom, fieldRead, startField } from "./shared/field.js";
import { movementLine, prepend, readLine } from "./shared/lines.js";
import { live } from "./shared/live.js";
import { showNode } from "./shared/node-header.js";
import { loadProducts, productParts } from "./shared/products.js";
import { sayError } from "./shared/status.js";

/**
 * The warehouse page (`/warehouse`): the tags in the field (the raw reads
 * behind "diagnostics"), recent movements, stock by zone, unknown tags, and
 * the dock's order on a portal.
 */

const reads = $("#reads");
const movements = $("#movements");
const stock = $("#stock");
const unknown = $("#unknown");
const zoneFilter = $<HTMLSelectElement>("#zone-filter");
let lastRows: NodeStockRow[] = [];

function byZoneThenSku(a: NodeStockRow, b: NodeStockRow): number {
  if (a.zone !== b.zone) return a.zone < b.zone ? -1 : 1;
  return String(a.sku) < String(b.sku) ? -1 : 1;
}

function renderStock(rows: NodeStockRow[]): void {
  const zone = zoneFilter.value;
  const shown = zone ? rows.filter((row) => row.zone === zone) : [...rows];
  const zones = [...new Set(rows.map((row) => row.zone))].sort();
  const selected = zoneFilter.value;
  clear(
    zoneFilter,
    h("option", { value: "" }, "all zones"),
    ...zones.map((z) => h("option", { value: z }, z)),
  );
  zoneFilter.value = zones.includes(selected) ? selected : "";
  shown.sort(byZoneThenSku);
  clear(
    stock,
    ...shown.map((row) =>
      h(
        "tr",
        { dataset: { zone: row.zone, sku: row.sku || "" } },
        h("td", {}, row.zone),
        h("td", { className: "product" }, ...productParts(row.sku, row.gtin)),
        h("td", { className: "count" }, String(row.count)),
      ),
    ),
  );
  if (shown.length === 0)
    stock.append(h("tr", {}, h("td", { colspan: "3", className: "empty" }, "no stock")));
  lastRows = rows;
}

zoneFilter.addEventListener("change", () => renderStock(lastRows));

/** Keeps the forms of tags still waiting (and what staff typed in them), adds new ones, drops the rest. */
function renderUnknown(tags: UnknownTag[]): void {
  const existing = new Map<string, HTMLElement>();
  for (const item of unknown.querySelectorAll<HTMLElement>(":scope > li[data-epc]"))
    if (item.dataset.epc) existing.set(item.dataset.epc, item);
  clear(unknown, ...tags.map((tag) => existing.get(tag.epc) || unknownItem(tag)));
  if (tags.length === 0) unknown.append(h("li", { className: "empty" }, "none waiting"));
}

function unknownItem(tag: UnknownTag): HTMLLIElement {
  const form = commissionForm(
    tag.epc,
    refreshUnknown,
    h("code", {}, tag.epc),
    h("span", { className: "zone" }, tag.zone || "off site"),
  );
  return h("li", { dataset: { epc: tag.epc } }, form);
}

async function refreshUnknown(): Promise<void> {
  renderUnknown((await api<UnknownTags>("GET", "/tags/unknown")).tags);
}

async function refreshAll(): Promise<void> {
  const [r, m, s] = await Promise.all([
    api<RecentReads>("GET", "/reads/recent?limit=200"),
    api<RecentMovements>("GET", "/movements/recent?limit=20"),
    api<NodeStock>("GET", "/stock"),
    loadProducts().catch(sayError),
  ]);
  fieldFrom(r.reads);
  clear(reads, ...r.reads.slice(0, 20).map(readLine));
  clear(movements, ...m.movements.map(movementLine));
  if (m.movements.length === 0) movements.append(h("li", { className: "empty" }, "none yet"));
  renderStock(s.rows);
  await refreshUnknown();
}

live({
  read: (event) => {
    fieldRead(event.read);
    prepend(reads, readLine(event.read), 20);
  },
  movement: (event) => {
    movements.querySelector(":scope > li.empty")?.remove();
    prepend(movements, movementLine(event.movement), 20);
  },
  stock: (event) => {
    renderStock(event.rows);
    refreshUnknown().catch(sayError);
  },
  alert: (event) => addAlert(event.alert),
  dock: (event) => showDock(event.dock),
  resync: () => refreshAll().catch(sayError),
});

showNode().then((node) => showAlerts(node.alerts), sayError);
const showDock = dockForm();
startField();
refreshAll().then(() => {
  document.body.dataset.ready = "true";
}, sayError);

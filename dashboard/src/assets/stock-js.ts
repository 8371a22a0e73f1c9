/**
 * The Stock page, served as `/dashboard/assets/stock.js`: items per SKU and
 * zone with their value, a search, a drill-down to the items (EPCs) and their
 * history, and stock as of a past time.
 */
export const STOCK_JS = String.raw`
import { api, fmtMoney, h, isObj, money, num, say, skuText, table, time } from "./core.js";
import { can, data, isStockRow } from "./data.js";
import { epcInput, showItem } from "./items.js";

export const MAX_ROWS = 500;

/** Value of stock rows at unit cost and at unit price, per currency; units without a product are counted apart. */
export function stockValue(rows) {
  const cost = new Map();
  const price = new Map();
  let units = 0;
  let unpriced = 0;
  for (const row of rows) {
    units += row.count;
    const product = row.sku === null ? undefined : data.products.get(row.sku);
    if (!product) {
      unpriced += row.count;
      continue;
    }
    const c = product.unitCost;
    cost.set(c.currency, (cost.get(c.currency) || 0) + row.count * c.amount);
    const p = product.unitPrice;
    price.set(p.currency, (price.get(p.currency) || 0) + row.count * p.amount);
  }
  const show = (map) => [...map].map(([currency, amount]) => money(amount, currency)).join(" + ") || money(0, "EUR");
  return { cost: show(cost), price: show(price), units, unpriced };
}

/** The items of a SKU now in a zone: each EPC's newest movement (from the last thousand of the SKU) ends there. */
/** The items (EPCs) in a zone now, with the movement that put each there. */
async function itemsIn(sku, zone) {
  const body = await api("/stock/items?limit=500&zone=" + encodeURIComponent(zone) + "&sku=" + encodeURIComponent(sku));
  const items = isObj(body) && Array.isArray(body.items) ? body.items.filter((i) => isObj(i) && typeof i.epc === "string") : [];
  return { items, truncated: isObj(body) && body.truncated === true };
}

export const stockPage = {
  id: "stock",
  title: "Stock",
  topics: ["stock", "products"],
  mount(root) {
    const search = h("input", { type: "search", placeholder: "search SKU, product or zone", maxlength: 100, "aria-label": "search" });
    const zone = h("select", { "aria-label": "zone" }, h("option", { value: "" }, "every zone"));
    const asOf = h("input", { type: "datetime-local", step: 1, "aria-label": "as of", title: "stock as of a past time" });
    const now = h("button", { type: "button", className: "quiet", hidden: true }, "Back to now");
    const lookup = h("input", { type: "search", placeholder: "EPC", maxlength: 64, "aria-label": "EPC", className: "mono" });
    const summary = h("p", { className: "sub", id: "stock-summary" });
    const body = h("div");
    const items = h("section", { className: "card", id: "items", hidden: true });
    const item = h("section", { className: "card", id: "item", hidden: true });
    let past = null;

    const rows = () => {
      const source = past ? past.rows : [...data.stock.values()];
      const text = search.value.trim().toLowerCase();
      return source.filter((row) => {
        if (zone.value && row.zone !== zone.value) return false;
        if (!text) return true;
        const product = row.sku === null ? undefined : data.products.get(row.sku);
        return skuText(row.sku).toLowerCase().includes(text) || row.zone.toLowerCase().includes(text) || (product && product.name.toLowerCase().includes(text));
      });
    };

    const openItems = async (row) => {
      items.hidden = false;
      item.hidden = true;
      const heading = h("h2", {}, h("span", {}, skuText(row.sku) + " in " + row.zone), h("button", { type: "button", className: "quiet close", onclick: () => { items.hidden = true; } }, "Close"));
      if (row.sku === null) {
        items.replaceChildren(heading, h("p", { className: "empty" }, "these items are not commissioned: find their EPCs on the Movements page"));
        return;
      }
      items.replaceChildren(heading, h("p", { className: "empty" }, "loading…"));
      try {
        const { items: list, truncated } = await itemsIn(row.sku, row.zone);
        items.replaceChildren(heading, h("p", { className: "sub" }, list.length + " item(s) here" + (truncated ? " (the newest 500)" : "")),
          h("ul", { className: "list epcs" }, list.map((m) => h("li", {},
            h("a", { href: "#", dataset: { epc: m.epc }, onclick: (e) => { e.preventDefault(); showItem(m.epc, item); } }, h("code", {}, m.epc)),
            h("span", { className: "sub" }, m.kind ? " · " + m.kind + " " + time(m.receivedAt) : " · commissioned here")))));
      } catch (error) {
        items.replaceChildren(heading, h("p", { className: "error" }, error.message));
      }
    };

    const refresh = () => {
      const zones = new Set([...data.stock.values()].map((r) => r.zone));
      if (zone.options.length !== zones.size + 1) {
        const chosen = zone.value;
        zone.replaceChildren(h("option", { value: "" }, "every zone"), ...[...zones].sort().map((z) => h("option", { value: z }, z)));
        zone.value = zones.has(chosen) ? chosen : "";
      }
      const shown = rows().sort((a, b) => skuText(a.sku).localeCompare(skuText(b.sku)) || a.zone.localeCompare(b.zone));
      const value = stockValue(shown);
      const skus = new Set(shown.map((r) => r.sku));
      summary.textContent = (past ? "as of " + time(past.asOf) + " · " : "now · ") + num(skus.size) + " SKUs · " + num(value.units) +
        " items · value " + value.cost + " at cost, " + value.price + " at price" + (shown.length > MAX_ROWS ? " · showing the first " + MAX_ROWS + " of " + num(shown.length) + " rows: search to narrow" : "");
      body.replaceChildren(table(["SKU", "Product", "Zone", "Items ", "Value at cost "], shown.slice(0, MAX_ROWS).map((row) => {
        const product = row.sku === null ? undefined : data.products.get(row.sku);
        return h("tr", { className: "clickable", dataset: { sku: skuText(row.sku), zone: row.zone }, onclick: () => openItems(row) },
          h("td", {}, h("b", {}, skuText(row.sku))),
          h("td", {}, product ? product.name : h("span", { className: "muted" }, "—")),
          h("td", {}, row.zone),
          h("td", { className: "num" }, num(row.count)),
          h("td", { className: "num" }, product ? fmtMoney({ amount: row.count * product.unitCost.amount, currency: product.unitCost.currency }) : "—"));
      }), past ? "no stock at that time" : "no stock"));
    };

    const loadPast = async () => {
      if (!asOf.value) {
        past = null;
        now.hidden = true;
        refresh();
        return;
      }
      const when = new Date(asOf.value);
      if (Number.isNaN(when.getTime()) || when.getTime() > Date.now()) {
        say("choose a past date and time for \"as of\"", "error");
        return;
      }
      try {
        const body = await api("/stock?asOf=" + encodeURIComponent(when.toISOString()));
        past = { asOf: body.asOf, rows: (isObj(body) && Array.isArray(body.rows) ? body.rows : []).filter(isStockRow) };
        now.hidden = false;
        say("");
        refresh();
      } catch (error) {
        say("could not load stock as of " + when.toLocaleString() + ": " + error.message, "error");
      }
    };

    search.addEventListener("input", refresh);
    zone.addEventListener("change", refresh);
    asOf.addEventListener("change", loadPast);
    now.addEventListener("click", () => { asOf.value = ""; loadPast(); });
    lookup.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const epc = epcInput(lookup.value);
      if (epc && can("movements:read")) showItem(epc, item);
    });

    root.append(h("h1", {}, "Stock"),
      h("div", { className: "split" },
        h("section", { className: "card" },
          h("div", { className: "toolbar" }, search, zone, h("label", { className: "sub" }, "as of ", asOf), now, can("movements:read") ? lookup : null),
          summary, body),
        h("div", {}, items, item)));
    this.refresh = () => { if (!past) refresh(); };
    refresh();
  },
};
`;

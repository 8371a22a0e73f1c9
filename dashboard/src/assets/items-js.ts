/**
 * An item's place and history (GET /tags/:epc), served as
 * `/dashboard/assets/items.js`: the drill-down the Stock and Movements pages share.
 */
export const ITEMS_JS = String.raw`
import { api, h, identityNodes, identityOf, isObj, place, say, skuText, table, time } from "./core.js";
import { data } from "./data.js";

export const EPC = /^[0-9A-F]{8,64}$/;

/** Upper-case hex EPC from what the user typed, or null with a message said. */
export function epcInput(text) {
  const epc = String(text || "").trim().toUpperCase();
  if (EPC.test(epc)) return epc;
  say("an EPC is 8 to 64 hexadecimal digits (0-9, A-F): " + JSON.stringify(String(text).slice(0, 80)) + " is not one", "error");
  return null;
}

export function movementText(m) {
  return m.kind + ": " + place(m.from) + " → " + place(m.to);
}

/** Fills the panel with the item's place and history. */
export async function showItem(epc, panel) {
  panel.replaceChildren(h("h2", {}, "Item ", h("code", {}, epc)), h("p", { className: "empty" }, "loading…"));
  panel.hidden = false;
  try {
    const tag = await api("/tags/" + encodeURIComponent(epc));
    const history = isObj(tag) && Array.isArray(tag.history) ? tag.history.filter(isObj) : [];
    const where = isObj(tag) && isObj(tag.place) ? tag.place : null;
    const id = where ? identityOf(where) : null;
    const product = id && id.sku !== null ? data.products.get(id.sku) : undefined;
    panel.replaceChildren(
      h("h2", {}, h("span", {}, "Item ", h("code", {}, epc)), h("button", { type: "button", className: "quiet close", onclick: () => { panel.hidden = true; } }, "Close")),
      h("p", { className: "item-place" }, where ? skuText(where) + " · " + place(where.zone) : "not on site"),
      // The product's name and the GTIN its tag encodes, beside the SKU.
      id && (product || (id.kind === "product" && id.gtin)) ? h("p", { className: "sub item-product" },
        [product ? product.name : null, id.gtin ? "GTIN " + id.gtin : null].filter(Boolean).join(" · ")) : null,
      table(["When", "Node", "Movement", "SKU"], history.map((m) =>
        h("tr", { className: "history" },
          h("td", {}, time(m.receivedAt)),
          h("td", {}, String(m.chain) + " #" + m.seq),
          h("td", {}, movementText(m)),
          h("td", {}, identityNodes(m)))), "no movement recorded"));
  } catch (error) {
    panel.replaceChildren(h("h2", {}, "Item ", h("code", {}, epc)), h("p", { className: "error" }, error.message));
  }
}
`;

/** An item's place and history (GET /tags/:epc): the drill-down the Stock and Movements pages share. */
import {
  api,
  h,
  identityOf,
  isObj,
  isStr,
  messageOf,
  type Obj,
  place,
  say,
  table,
  time,
} from "./core.js";
import { data } from "./data.js";
import { kindWord, routeWords } from "./words.js";

export const EPC = /^[0-9A-F]{8,64}$/;

/** Upper-case hex EPC from what the user typed, or null with a message said. */
export function epcInput(text: string): string | null {
  const epc = text.trim().toUpperCase();
  if (EPC.test(epc)) return epc;
  say(
    `an EPC is 8 to 64 hexadecimal digits (0-9, A-F): ${JSON.stringify(text.slice(0, 80))} is not one`,
    "error",
  );
  return null;
}

const zone = (v: unknown) => (isStr(v) ? v : null);
/** Where a movement of the item's history took it, in words; `before` is the movement before it (where it came from when the node did not say). */
const movementText = (m: Obj, before: Obj | undefined): string =>
  routeWords({
    kind: String(m.kind),
    from: zone(m.from),
    to: zone(m.to),
    cameFrom: zone(before?.to),
  });
/** The product's name first, then its SKU; an unknown product or tag as identityNodes says it. */
function productText(row: Obj): string {
  const id = identityOf(row);
  const name = id.sku === null ? undefined : data.products.get(id.sku)?.name;
  return name ? `${name} (${id.text})` : id.text;
}

/** Fills the panel with the item's place and history. */
export async function showItem(epc: string, panel: HTMLElement): Promise<void> {
  panel.replaceChildren(
    h("h2", {}, "Item ", h("code", {}, epc)),
    h("p", { className: "empty" }, "loading…"),
  );
  panel.hidden = false;
  try {
    const tag = await api(`/tags/${encodeURIComponent(epc)}`);
    const history = isObj(tag) && Array.isArray(tag.history) ? tag.history.filter(isObj) : [];
    const where = isObj(tag) && isObj(tag.place) ? tag.place : null;
    const id = where ? identityOf(where) : null;
    const close = () => {
      panel.hidden = true;
    };
    panel.replaceChildren(
      h(
        "h2",
        {},
        h("span", {}, "Item ", h("code", {}, epc)),
        h("button", { type: "button", className: "quiet close", onclick: close }, "Close"),
      ),
      h(
        "p",
        { className: "item-place" },
        where
          ? `${productText(where)} · ${place(isStr(where.zone) ? where.zone : null)}`
          : "not on site",
      ),
      // The GTIN its tag encodes, under the product (replaceChildren would write a null as "null").
      ...(id && id.kind === "product" && id.gtin
        ? [h("p", { className: "sub item-product" }, `GTIN ${id.gtin}`)]
        : []),
      table(
        ["When", "Node", "Kind", "Where", "Product"],
        history.map((m, i) =>
          h(
            "tr",
            { className: "history" },
            h("td", { className: "nowrap" }, time(m.receivedAt)),
            h("td", { className: "nowrap" }, `${String(m.chain)} #${String(m.seq)}`),
            h("td", {}, h("span", { className: "badge" }, kindWord(String(m.kind)))),
            h("td", { className: "route" }, movementText(m, history[i + 1])),
            h("td", {}, productText(m)),
          ),
        ),
        "no movement recorded",
      ),
    );
  } catch (error) {
    panel.replaceChildren(
      h("h2", {}, "Item ", h("code", {}, epc)),
      h("p", { className: "error" }, messageOf(error)),
    );
  }
}

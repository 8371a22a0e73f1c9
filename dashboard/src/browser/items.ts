/** An item's place and history (GET /tags/:epc): the drill-down the Stock and Movements pages share. */
import {
  api,
  h,
  identityNodes,
  identityOf,
  isObj,
  isStr,
  messageOf,
  type Obj,
  place,
  say,
  skuText,
  table,
  time,
} from "./core.js";
import { data } from "./data.js";

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

function movementText(m: Obj): string {
  const zone = (v: unknown) => (isStr(v) ? v : null);
  return `${String(m.kind)}: ${place(zone(m.from))} → ${place(zone(m.to))}`;
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
    const product = id && id.sku !== null ? data.products.get(id.sku) : undefined;
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
          ? `${skuText(where)} · ${place(isStr(where.zone) ? where.zone : null)}`
          : "not on site",
      ),
      // The product's name and the GTIN its tag encodes, beside the SKU (replaceChildren would write a null as "null").
      ...(id && (product || (id.kind === "product" && id.gtin))
        ? [
            h(
              "p",
              { className: "sub item-product" },
              [product ? product.name : null, id.gtin ? `GTIN ${id.gtin}` : null]
                .filter(Boolean)
                .join(" · "),
            ),
          ]
        : []),
      table(
        ["When", "Node", "Movement", "SKU"],
        history.map((m) =>
          h(
            "tr",
            { className: "history" },
            h("td", {}, time(m.receivedAt)),
            h("td", {}, `${String(m.chain)} #${String(m.seq)}`),
            h("td", {}, movementText(m)),
            h("td", {}, identityNodes(m)),
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

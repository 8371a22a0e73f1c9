import type { NodeRead, RecordedMovementView } from "@comptoir/contracts";
import { h, place } from "@comptoir/contracts/browser";
import { time } from "./format.js";
import { productText } from "./products.js";

/** One movement as a list item: when, kind, product, tag, from → to, the order it left for, and why. */
export function movementLine(movement: RecordedMovementView): HTMLLIElement {
  return h(
    "li",
    { className: "movement", dataset: { epc: movement.epc, seq: String(movement.seq) } },
    h("span", { className: "when" }, time(movement.at)),
    " ",
    h("span", { className: "kind" }, movement.kind),
    " ",
    h("span", { className: "sku" }, productText(movement.sku, movement.gtin, "?")),
    " ",
    h("code", {}, movement.epc),
    " ",
    h("span", { className: "route" }, `${place(movement.from)} \u2192 ${place(movement.to)}`),
    movement.order
      ? h(
          "span",
          { className: "order" },
          ` order ${movement.order}${movement.customer ? ` for ${movement.customer}` : ""}`,
        )
      : null,
    movement.reason ? h("span", { className: "reason" }, ` (${movement.reason})`) : null,
  );
}

/** One tag read as a list item: when, tag, reader and antenna, signal. */
export function readLine(read: NodeRead): HTMLLIElement {
  return h(
    "li",
    { className: "read", dataset: { epc: read.epc } },
    h("span", { className: "when" }, time(read.hostTime)),
    " ",
    h("code", {}, read.epc),
    " ",
    h("span", { className: "where" }, `${read.reader}#${read.antenna}`),
    read.rssi !== undefined ? h("span", { className: "rssi" }, ` ${read.rssi} dBm`) : null,
  );
}

/** Prepends an item to a list, keeping at most max entries. */
export function prepend(list: Element, item: Element, max: number): void {
  list.prepend(item);
  while (list.children.length > max) list.lastElementChild?.remove();
}

/**
 * The Movements page: what happened, one row per movement event (a pallet
 * through the dock's portal, a basket sold at a counter), newest first, as
 * the gateway groups them (GET /movements/events): when, what, which
 * product, how many, from where to where in a warehouse's words, which node,
 * which order. A row opens to list its items' EPCs; an EPC opens the item.
 * Filters by node, product (SKU or GTIN), kind and zone are the gateway's.
 */
import type { MovementEventView } from "@comptoir/contracts";
import {
  api,
  h,
  identityNodes,
  identityOf,
  isInt,
  isObj,
  isStr,
  isStrOrNull,
  messageOf,
  num,
  say,
  serial,
  table,
  time,
} from "./core.js";
import { arrayIn, data } from "./data.js";
import { showItem } from "./items.js";
import type { Page } from "./page.js";
import { counted, kindWord, routeWords } from "./words.js";

const SHOWN = 100;
/** How long the page waits, after news of a movement, before asking for the events again. */
const RELOAD_MS = 1000;
const KINDS = ["receive", "putaway", "pick", "ship", "sale", "adjust"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const GTIN = /^[0-9]{14}$/;

/** An event as GET /movements/events documents it, as far as the page reads it. */
const isEvent = (e: unknown): e is MovementEventView =>
  isObj(e) &&
  isStr(e.chain) &&
  isStr(e.kind) &&
  isStrOrNull(e.sku) &&
  isStrOrNull(e.gtin) &&
  isStrOrNull(e.name) &&
  isStrOrNull(e.from) &&
  isStrOrNull(e.to) &&
  isStrOrNull(e.cameFrom) &&
  isStrOrNull(e.order) &&
  isStrOrNull(e.sale) &&
  isInt(e.count) &&
  Array.isArray(e.epcs) &&
  e.epcs.every(isStr) &&
  isStr(e.firstAt) &&
  isStr(e.lastAt) &&
  isStr(e.receivedAt);

const eventKey = (e: MovementEventView) =>
  [e.chain, e.kind, e.sku, e.gtin, e.from, e.to, e.order, e.sale, e.firstAt].join("|");

/** The product of an event: its name first, the SKU under it; an unknown product or tag marked as such. */
function productCell(e: MovementEventView): HTMLElement {
  const id = identityOf(e);
  const name = e.name ?? (id.sku === null ? undefined : data.products.get(id.sku)?.name);
  if (id.kind === "product")
    return h(
      "td",
      { className: "product" },
      name ? h("b", {}, name) : null,
      h("div", { className: "sub nowrap" }, id.sku),
    );
  return h("td", { className: "product" }, identityNodes(e));
}

/** The order or sale an event belongs to, if any. */
const reference = (e: MovementEventView) =>
  e.order
    ? h("span", { className: "nowrap" }, e.order)
    : e.sale
      ? h(
          "span",
          { className: "sub nowrap", title: `sale ${e.sale}` },
          // A sale's id is "<node>-<seq>" and the node has its own column: the number says which.
          `sale ${e.sale.startsWith(`${e.chain}-`) ? `#${e.sale.slice(e.chain.length + 1)}` : e.sale}`,
        )
      : h("span", { className: "muted" }, "—");

export const movementsPage: Page = {
  id: "movements",
  title: "Movements",
  topics: ["movements", "nodes"],
  mount(root) {
    const node = h("input", {
      list: "node-ids",
      placeholder: "node",
      maxlength: 64,
      "aria-label": "node",
    });
    const nodeIds = h("datalist", { id: "node-ids" });
    const sku = h("input", { placeholder: "SKU or GTIN", maxlength: 64, "aria-label": "SKU" });
    const zone = h("input", { placeholder: "zone", maxlength: 64, "aria-label": "zone" });
    const kind = h(
      "select",
      { "aria-label": "kind" },
      h("option", { value: "" }, "every kind"),
      KINDS.map((k) => h("option", { value: k }, kindWord(k))),
    );
    const count = h("span", { className: "sub" });
    const body = h("div");
    const item = h("section", { className: "card", id: "item", hidden: true });
    const open = new Set<string>();
    let query = "";
    let events: MovementEventView[] = [];
    let complete = true;

    const valid = (): string | null => {
      const params = new URLSearchParams({ limit: String(SHOWN) });
      for (const [field, input] of [
        ["node", node],
        ["zone", zone],
      ] as const) {
        const value = input.value.trim();
        if (value && !NAME.test(value)) {
          say(`${field}: letters, digits, '_', '.', '-' only (up to 64)`, "error");
          return null;
        }
        if (value) params.set(field, value);
      }
      const product = sku.value.trim();
      // 14 digits are a GTIN (a product's, or one no product has); anything else a SKU.
      if (product) params.set(GTIN.test(product) ? "gtin" : "sku", product);
      if (kind.value) params.set("kind", kind.value);
      say("");
      return params.toString();
    };

    const draw = () => {
      nodeIds.replaceChildren(...[...data.nodes.keys()].map((id) => h("option", { value: id })));
      const items = events.reduce((sum, e) => sum + e.count, 0);
      count.textContent = `${counted(events.length, "event")} · ${counted(items, "item", "items", num)}, newest first${complete ? "" : " (of the newest movements)"} · new ones appear as they happen`;
      const rows = events.flatMap((e) => {
        const key = eventKey(e);
        const expanded = open.has(key);
        const toggle = () => {
          if (open.has(key)) open.delete(key);
          else open.add(key);
          draw();
          // One item: its place and history at once.
          if (e.count === 1 && e.epcs[0]) showItem(e.epcs[0], item);
        };
        const row = h(
          "tr",
          {
            className: "clickable event",
            dataset: {
              kind: e.kind,
              count: String(e.count),
              sku: e.sku ?? "",
              gtin: e.gtin ?? "",
              node: e.chain,
              epcs: e.epcs.join(" "),
            },
            onclick: toggle,
          },
          h(
            "td",
            { className: "nowrap", title: `observed ${time(e.firstAt)} – ${time(e.lastAt)}` },
            time(e.receivedAt),
          ),
          h("td", {}, h("span", { className: "badge" }, kindWord(e.kind))),
          productCell(e),
          h(
            "td",
            { className: "num" },
            h(
              "button",
              {
                type: "button",
                className: "link",
                "aria-expanded": String(expanded),
                title: expanded ? "hide the EPCs" : "show the EPCs",
              },
              `${expanded ? "▾" : "▸"} ${num(e.count)}`,
            ),
          ),
          h("td", { className: "route" }, routeWords(e)),
          h("td", { className: "nowrap" }, e.chain),
          h("td", {}, reference(e)),
        );
        if (!expanded) return [row];
        const more = e.count - e.epcs.length;
        return [
          row,
          h(
            "tr",
            { className: "epcs" },
            h(
              "td",
              { colspan: 7, className: "below-row" },
              h(
                "ul",
                { className: "event-epcs" },
                e.epcs.map((epc) =>
                  h(
                    "li",
                    {},
                    h(
                      "button",
                      {
                        type: "button",
                        className: "link",
                        title: "show this item",
                        onclick: () => showItem(epc, item),
                      },
                      h("code", {}, epc),
                    ),
                  ),
                ),
                more > 0 ? h("li", { className: "sub" }, `and ${counted(more, "more")}`) : null,
              ),
            ),
          ),
        ];
      });
      body.replaceChildren(
        table(
          ["When", "Kind", "Product", "Items ", "Where", "Node", "Order"],
          rows,
          "no movement matches",
        ),
      );
    };

    const load = serial(async () => {
      try {
        const answer = await api(`/movements/events?${query}`);
        events = arrayIn(answer, "events").filter(isEvent);
        complete = !(isObj(answer) && answer.complete === false);
      } catch (error) {
        say(`could not load movements: ${messageOf(error)}`, "error");
      }
      draw();
    });

    const apply = () => {
      const next = valid();
      if (next === null) return;
      query = next;
      open.clear();
      load();
    };

    const clearFilters = () => {
      node.value = "";
      sku.value = "";
      zone.value = "";
      kind.value = "";
      apply();
    };
    const form = h(
      "form",
      {
        className: "filters",
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          apply();
        },
      },
      node,
      nodeIds,
      sku,
      zone,
      kind,
      h("button", { type: "submit" }, "Filter"),
      h("button", { type: "button", className: "quiet", onclick: clearFilters }, "Clear"),
    );
    kind.addEventListener("change", apply);
    root.append(
      h("h1", {}, "Movements"),
      h(
        "div",
        { className: "split" },
        h("section", { className: "card" }, form, count, body),
        h("div", {}, item),
      ),
    );
    // New movements on the feed: the gateway groups them again, at most once a second on a busy site.
    let soon: ReturnType<typeof setTimeout> | undefined;
    this.refresh = (topics) => {
      if (topics && !topics.has("movements")) draw();
      else if (!soon)
        soon = setTimeout(() => {
          soon = undefined;
          load();
        }, RELOAD_MS);
    };
    this.unmount = () => clearTimeout(soon);
    apply();
  },
};

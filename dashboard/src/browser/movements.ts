/**
 * The Movements page: the live stream, newest first, with filters by node,
 * SKU (or GTIN), kind and zone. Each movement shows its product (the SKU,
 * found by the gateway from an SGTIN's GTIN when the tag was not
 * commissioned) and the GTIN in a column of its own: a GTIN no product has
 * is an "unknown product", never a SKU.
 */
import { api, h, identityNodes, identityOf, messageOf, place, say, table, time } from "./core.js";
import { arrayIn, data, isMovement, type Movement, newestFirst } from "./data.js";
import { showItem } from "./items.js";
import type { Page } from "./page.js";

const SHOWN = 200;
const KINDS = ["receive", "putaway", "pick", "ship", "sale", "adjust"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

interface Filters {
  node: string;
  sku: string;
  zone: string;
  kind: string;
}

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
      KINDS.map((k) => h("option", { value: k }, k)),
    );
    const count = h("span", { className: "sub" });
    const body = h("div");
    const item = h("section", { className: "card", id: "item", hidden: true });
    let older: Movement[] = [];
    let filters: Filters = { node: "", sku: "", zone: "", kind: "" };

    const valid = (): Filters | null => {
      const next = {
        node: node.value.trim(),
        sku: sku.value.trim(),
        zone: zone.value.trim(),
        kind: kind.value,
      };
      for (const [field, value] of [
        ["node", next.node],
        ["zone", next.zone],
      ] as const) {
        if (value && !NAME.test(value)) {
          say(`${field}: letters, digits, '_', '.', '-' only (up to 64)`, "error");
          return null;
        }
      }
      say("");
      return next;
    };

    const matches = (m: Movement) =>
      (!filters.node || m.chain === filters.node) &&
      (!filters.sku || m.sku === filters.sku || m.gtin === filters.sku) &&
      (!filters.kind || m.kind === filters.kind) &&
      (!filters.zone || m.from === filters.zone || m.to === filters.zone);

    const refresh = () => {
      nodeIds.replaceChildren(...[...data.nodes.keys()].map((id) => h("option", { value: id })));
      const seen = new Set<string>();
      const list = data.movements
        .concat(older)
        .filter((m) => {
          const key = `${m.chain}#${m.seq}`;
          if (seen.has(key) || !matches(m)) return false;
          seen.add(key);
          return true;
        })
        .sort(newestFirst)
        .slice(0, SHOWN);
      count.textContent = `${list.length} shown, newest first · new ones appear as they happen`;
      body.replaceChildren(
        table(
          ["Received", "Node", "EPC", "SKU", "GTIN", "Kind", "From → to"],
          list.map((m) => {
            const id = identityOf(m);
            const row = h(
              "tr",
              {
                className: `clickable${m.live ? " fresh" : ""}`,
                dataset: {
                  epc: m.epc,
                  kind: m.kind,
                  sku: id.sku || "",
                  gtin: id.gtin || "",
                  identity: id.kind,
                },
                onclick: () => showItem(m.epc, item),
              },
              h("td", { title: `read at ${time(m.at)}` }, time(m.receivedAt)),
              h("td", {}, m.chain),
              h("td", {}, h("code", {}, m.epc)),
              h(
                "td",
                { className: "identity" },
                identityNodes(m, id.sku === null ? undefined : data.products.get(id.sku), false),
              ),
              h(
                "td",
                { className: "gtin" },
                id.gtin ? h("code", {}, id.gtin) : h("span", { className: "muted" }, "—"),
              ),
              h("td", {}, h("span", { className: "badge" }, m.kind)),
              h("td", {}, `${place(m.from)} → ${place(m.to)}`),
            );
            m.live = false;
            return row;
          }),
          "no movement matches",
        ),
      );
    };

    const apply = async () => {
      const next = valid();
      if (!next) return;
      filters = next;
      older = [];
      if (filters.node || filters.sku) {
        // Older matching movements than the shared newest ones: ask the gateway.
        const query =
          `/movements?limit=${SHOWN}` +
          (filters.node ? `&node=${encodeURIComponent(filters.node)}` : "") +
          (filters.sku ? `&sku=${encodeURIComponent(filters.sku)}` : "");
        try {
          older = arrayIn(await api(query), "movements").filter(isMovement);
        } catch (error) {
          say(`could not load movements: ${messageOf(error)}`, "error");
        }
      }
      refresh();
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
    this.refresh = refresh;
    refresh();
  },
};

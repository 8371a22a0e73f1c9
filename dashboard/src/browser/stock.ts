/**
 * The Stock page: items per product (SKU) and zone with their value, a
 * search, a drill-down to the items (EPCs) and their history, and stock as
 * of a past time. Items of a GTIN no product has are a row per GTIN,
 * "unknown product", and tags nobody commissioned "unknown tag": neither has
 * a price, neither is shown as a SKU.
 */
import type { StockRowView } from "@comptoir/contracts";
import {
  api,
  fmtMoney,
  h,
  identityNodes,
  identityOf,
  isObj,
  isStr,
  messageOf,
  money,
  num,
  type Obj,
  say,
  skuText,
  table,
  time,
} from "./core.js";
import { arrayIn, can, data, isStockRow } from "./data.js";
import { epcInput, showItem } from "./items.js";
import type { Page } from "./page.js";
import { counted } from "./words.js";

const MAX_ROWS = 500;

interface StockValue {
  cost: string;
  price: string;
  units: number;
  unpriced: number;
  why: { total: number; unknownProducts: number; unknownTags: number; notListed: number };
}

/**
 * Value of stock rows at unit cost and at unit price, per currency. Items
 * without a product of the catalog are counted apart, as unpriced: those of
 * an unknown product (a GTIN no product has), unknown tags, and SKUs the
 * catalog does not list.
 */
export function stockValue(rows: readonly StockRowView[]): StockValue {
  const cost = new Map<string, number>();
  const price = new Map<string, number>();
  let units = 0;
  const unpriced = { total: 0, unknownProducts: 0, unknownTags: 0, notListed: 0 };
  for (const row of rows) {
    units += row.count;
    const id = identityOf(row);
    const product = id.sku === null ? undefined : data.products.get(id.sku);
    if (!product) {
      unpriced.total += row.count;
      if (id.kind === "unknown-product") unpriced.unknownProducts += row.count;
      else if (id.kind === "unknown-tag") unpriced.unknownTags += row.count;
      else unpriced.notListed += row.count;
      continue;
    }
    const c = product.unitCost;
    cost.set(c.currency, (cost.get(c.currency) ?? 0) + row.count * c.amount);
    const p = product.unitPrice;
    price.set(p.currency, (price.get(p.currency) ?? 0) + row.count * p.amount);
  }
  const show = (map: Map<string, number>) =>
    [...map].map(([currency, amount]) => money(amount, currency)).join(" + ") || money(0, "EUR");
  return { cost: show(cost), price: show(price), units, unpriced: unpriced.total, why: unpriced };
}

/** "3 items unpriced: 2 of unknown products, 1 unknown tag", or "" when every item has a price. */
export function unpricedText(value: StockValue): string {
  const { total, unknownProducts, unknownTags, notListed } = value.why;
  if (total === 0) return "";
  const parts = [
    unknownProducts ? `${num(unknownProducts)} of unknown products` : "",
    unknownTags ? num(unknownTags) + (unknownTags === 1 ? " unknown tag" : " unknown tags") : "",
    notListed ? `${num(notListed)} of SKUs not in the catalog` : "",
  ].filter(Boolean);
  return `${num(total)}${total === 1 ? " item" : " items"} unpriced: ${parts.join(", ")}`;
}

/** Rows in reading order: products by SKU, then unknown products by GTIN, then unknown tags; each by zone. */
const ORDER = { product: 0, "unknown-product": 1, "unknown-tag": 2 } as const;
function sortByIdentity(rows: readonly StockRowView[]): StockRowView[] {
  const keyed = rows.map((row) => {
    const id = identityOf(row);
    return { row, rank: ORDER[id.kind], name: id.sku || id.gtin || "" };
  });
  keyed.sort(
    (a, b) =>
      a.rank - b.rank || a.name.localeCompare(b.name) || a.row.zone.localeCompare(b.row.zone),
  );
  return keyed.map((k) => k.row);
}

const SHOWN_ITEMS = 500;
/** How many items of a zone are looked through for those of an unknown product or tag (the gateway filters by product only). */
const ZONE_ITEMS = 5000;

type ZoneItem = Obj & { epc: string };

/**
 * The items (EPCs) of a row now in its zone, with the movement that put each
 * there: a product's from the gateway; an unknown product's or unknown tags'
 * picked from the zone's items by their GTIN, or by having neither SKU nor GTIN.
 */
async function itemsIn(row: StockRowView): Promise<{ items: ZoneItem[]; truncated: boolean }> {
  const id = identityOf(row);
  const query =
    `/stock/items?zone=${encodeURIComponent(row.zone)}` +
    (id.sku !== null
      ? `&limit=${SHOWN_ITEMS}&sku=${encodeURIComponent(id.sku)}`
      : `&limit=${ZONE_ITEMS}`);
  const body = await api(query);
  const all = arrayIn(body, "items").filter((i): i is ZoneItem => isObj(i) && isStr(i.epc));
  const mine =
    id.sku !== null ? all : all.filter((i) => i.sku === null && identityOf(i).key === id.key);
  return {
    items: mine.slice(0, SHOWN_ITEMS),
    truncated: mine.length > SHOWN_ITEMS || (isObj(body) && body.truncated === true),
  };
}

export const stockPage: Page = {
  id: "stock",
  title: "Stock",
  topics: ["stock", "products"],
  mount(root) {
    const search = h("input", {
      type: "search",
      placeholder: "SKU, name, GTIN, zone",
      title: "search by SKU, product name, GTIN or zone",
      maxlength: 100,
      "aria-label": "search",
    });
    const zone = h("select", { "aria-label": "zone" }, h("option", { value: "" }, "every zone"));
    const asOf = h("input", {
      type: "datetime-local",
      step: 1,
      "aria-label": "as of",
      title: "stock as of a past time",
    });
    const now = h("button", { type: "button", className: "quiet", hidden: true }, "Back to now");
    const lookup = h("input", {
      type: "search",
      placeholder: "EPC",
      maxlength: 64,
      "aria-label": "EPC",
      className: "mono",
    });
    const summary = h("p", { className: "sub", id: "stock-summary" });
    const body = h("div");
    const items = h("section", { className: "card", id: "items", hidden: true });
    const item = h("section", { className: "card", id: "item", hidden: true });
    let past: { asOf: unknown; rows: StockRowView[] } | null = null;

    const rows = () => {
      const source = past ? past.rows : [...data.stock.values()];
      const text = search.value.trim().toLowerCase();
      return source.filter((row) => {
        if (zone.value && row.zone !== zone.value) return false;
        if (!text) return true;
        const product = row.sku === null ? undefined : data.products.get(row.sku);
        // A product is found by its GTINs too; an unknown product's GTIN is in its text.
        const words: unknown[] = [
          skuText(row),
          row.zone,
          ...(product ? [product.name, product.gtin, ...(product.gtins ?? [])] : []),
        ];
        return words.some((word) => isStr(word) && word.toLowerCase().includes(text));
      });
    };

    const openItems = async (row: StockRowView) => {
      items.hidden = false;
      item.hidden = true;
      const close = () => {
        items.hidden = true;
      };
      const heading = h(
        "h2",
        {},
        h("span", {}, `${skuText(row)} in ${row.zone}`),
        h("button", { type: "button", className: "quiet close", onclick: close }, "Close"),
      );
      const id = identityOf(row);
      const why =
        id.kind === "unknown-product"
          ? h(
              "p",
              { className: "sub" },
              `no product of the catalog has GTIN ${id.gtin}: add it to a product (or a new one) and these items count under it`,
            )
          : id.kind === "unknown-tag"
            ? h(
                "p",
                { className: "sub" },
                "tags nobody commissioned, with no GTIN: commission them to a SKU at a node",
              )
            : null;
      const head = why ? [heading, why] : [heading];
      items.replaceChildren(...head, h("p", { className: "empty" }, "loading…"));
      try {
        const { items: list, truncated } = await itemsIn(row);
        items.replaceChildren(
          ...head,
          h(
            "p",
            { className: "sub" },
            `${counted(list.length, "item", "items", num)} here${truncated ? ` (the newest ${SHOWN_ITEMS})` : ""}`,
          ),
          h(
            "ul",
            { className: "list epcs" },
            list.map((m) =>
              h(
                "li",
                {},
                h(
                  "a",
                  {
                    href: "#",
                    dataset: { epc: m.epc },
                    onclick: (e: MouseEvent) => {
                      e.preventDefault();
                      showItem(m.epc, item);
                    },
                  },
                  h("code", {}, m.epc),
                ),
                h(
                  "span",
                  { className: "sub" },
                  m.kind ? ` · ${String(m.kind)} ${time(m.receivedAt)}` : " · commissioned here",
                ),
              ),
            ),
          ),
        );
      } catch (error) {
        items.replaceChildren(...head, h("p", { className: "error" }, messageOf(error)));
      }
    };

    const stockRowNode = (row: StockRowView) => {
      const id = identityOf(row);
      const product = id.sku === null ? undefined : data.products.get(id.sku);
      // data-sku is the SKU, empty on rows that have none; data-gtin says which unknown product.
      const dataset: Record<string, string> = {
        sku: id.sku || "",
        zone: row.zone,
        identity: id.kind,
      };
      if (id.kind === "unknown-product") dataset.gtin = id.gtin;
      return h(
        "tr",
        { className: "clickable", dataset, onclick: () => openItems(row) },
        // An unknown product or tag has no SKU and no product: one cell says which it is.
        id.kind === "product"
          ? h("td", { className: "nowrap" }, h("b", {}, id.sku))
          : h("td", { colspan: 2 }, identityNodes(row)),
        id.kind === "product"
          ? h(
              "td",
              {},
              product
                ? product.name
                : h("span", { className: "muted" }, data.loaded ? "not in the catalog" : "—"),
            )
          : null,
        h("td", { className: "nowrap" }, row.zone),
        h("td", { className: "num" }, num(row.count)),
        h(
          "td",
          { className: "num" },
          product
            ? fmtMoney({
                amount: row.count * product.unitCost.amount,
                currency: product.unitCost.currency,
              })
            : h("span", { className: "muted" }, "unpriced"),
        ),
      );
    };

    const refresh = () => {
      const zones = new Set([...data.stock.values()].map((r) => r.zone));
      if (zone.options.length !== zones.size + 1) {
        const chosen = zone.value;
        zone.replaceChildren(
          h("option", { value: "" }, "every zone"),
          ...[...zones].sort().map((z) => h("option", { value: z }, z)),
        );
        zone.value = zones.has(chosen) ? chosen : "";
      }
      const shown = sortByIdentity(rows());
      const value = stockValue(shown);
      const skus = new Set(shown.filter((r) => r.sku !== null).map((r) => r.sku));
      const unpriced = unpricedText(value);
      summary.textContent =
        (past ? `as of ${time(past.asOf)} · ` : "now · ") +
        `${num(skus.size)} SKUs · ${num(value.units)} items · value ${value.cost} at cost, ${value.price} at price` +
        (unpriced ? ` · ${unpriced}` : "") +
        (shown.length > MAX_ROWS
          ? ` · showing the first ${MAX_ROWS} of ${num(shown.length)} rows: search to narrow`
          : "");
      body.replaceChildren(
        table(
          ["SKU", "Product", "Zone", "Items ", "Value at cost "],
          shown.slice(0, MAX_ROWS).map(stockRowNode),
          past ? "no stock at that time" : "no stock",
        ),
      );
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
        say('choose a past date and time for "as of"', "error");
        return;
      }
      try {
        const answer = await api(`/stock?asOf=${encodeURIComponent(when.toISOString())}`);
        past = {
          asOf: isObj(answer) ? answer.asOf : undefined,
          rows: arrayIn(answer, "rows").filter(isStockRow),
        };
        now.hidden = false;
        say("");
        refresh();
      } catch (error) {
        say(`could not load stock as of ${time(when.toISOString())}: ${messageOf(error)}`, "error");
      }
    };

    search.addEventListener("input", refresh);
    zone.addEventListener("change", refresh);
    asOf.addEventListener("change", loadPast);
    now.addEventListener("click", () => {
      asOf.value = "";
      loadPast();
    });
    lookup.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const epc = epcInput(lookup.value);
      if (epc && can("movements:read")) showItem(epc, item);
    });

    root.append(
      h("h1", {}, "Stock"),
      h(
        "div",
        { className: "split" },
        h(
          "section",
          { className: "card" },
          h(
            "div",
            { className: "toolbar" },
            search,
            zone,
            h("label", { className: "sub" }, "as of ", asOf),
            now,
            can("movements:read") ? lookup : null,
          ),
          summary,
          body,
        ),
        h("div", {}, items, item),
      ),
    );
    this.refresh = () => {
      if (!past) refresh();
    };
    refresh();
  },
};

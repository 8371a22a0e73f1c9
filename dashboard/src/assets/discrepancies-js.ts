/**
 * The Discrepancies page, served as `/dashboard/assets/discrepancies.js`:
 * the reconciliation lists (shipped not invoiced, invoiced not shipped,
 * quantity mismatch, unknown tags, stock gaps) with their evidence.
 */
export const DISCREPANCIES_JS = String.raw`
import { describe, fmtMoney, h, isObj, listOf, optional, pick, table } from "./core.js";
import { data } from "./data.js";
import { toMoney } from "./receivables.js";

/** Open discrepancies from GET /reconciliation, or why there are none to show. */
export async function loadDiscrepancies() {
  const result = await optional("/reconciliation");
  if (!result.ok) return { ok: false, why: result.why };
  const items = listOf(result.data).filter(isObj);
  return { ok: true, items: items.filter((d) => !/resolved|closed/i.test(String(d.status || ""))) };
}

/** Amounts come in minor units; without a currency beside them, the product's tells it. */
const currencyOf = (d) => {
  const product = typeof d.sku === "string" ? data.products.get(d.sku) : undefined;
  return product ? product.unitPrice.currency : undefined;
};

const SHOWN = 500;

const kindOf = (d) => String(pick(d, "kind", "type", "category") || "discrepancy");

export const discrepanciesPage = {
  id: "discrepancies",
  title: "Discrepancies",
  topics: ["discrepancy"],
  mount(root) {
    const kinds = h("div", { className: "pills" });
    const body = h("div", {}, h("p", { className: "empty" }, "loading…"));
    const filter = h("select", { "aria-label": "kind" }, h("option", { value: "" }, "every kind"));
    const count = h("p", { className: "sub" });
    let items = [];
    const render = () => {
      const shown = items.filter((d) => !filter.value || kindOf(d) === filter.value);
      count.textContent = shown.length > SHOWN ? "showing " + SHOWN + " of " + shown.length + ": choose a kind to narrow" : "";
      body.replaceChildren(table(["Kind", "Subject", "Quantity ", "Amount ", "Age", "Evidence"], shown.slice(0, SHOWN).map((d) => {
        const { evidence, ...rest } = d;
        const subject = [pick(d, "order", "orderRef"), pick(d, "customer", "supplier"), pick(d, "sku", "gtin"), pick(d, "zone"), pick(d, "epc")].filter((v) => v !== undefined).map(String).join(" · ");
        const shipped = pick(d, "shipped", "shippedQuantity", "received", "observed");
        const invoiced = pick(d, "invoiced", "invoicedQuantity");
        const quantity = shipped !== undefined || invoiced !== undefined ? (shipped === undefined ? "—" : shipped) + " vs " + (invoiced === undefined ? "—" : invoiced) : String(pick(d, "quantity", "difference") || "—");
        return h("tr", { dataset: { kind: kindOf(d) } },
          h("td", {}, h("span", { className: "badge", dataset: { tone: "warn" } }, kindOf(d).replace(/_/g, " "))),
          h("td", {}, subject || "—"),
          h("td", { className: "num" }, quantity),
          h("td", { className: "num" }, fmtMoney(toMoney(pick(d, "amount", "value"), d.currency || currencyOf(d)))),
          h("td", {}, String(pick(d, "age", "ageDays", "since") || "—")),
          h("td", {}, h("details", {}, h("summary", {}, evidence ? "evidence" : "details"), describe(evidence === undefined ? rest : evidence))));
      }), "no open discrepancy"));
    };
    filter.addEventListener("change", render);
    root.append(h("h1", {}, "Discrepancies"),
      h("section", { className: "card" }, h("div", { className: "toolbar" }, kinds, filter), count, body));
    let loading = null;
    this.refresh = () => {
      if (loading) return;
      loading = loadDiscrepancies().then((result) => {
        if (!result.ok) {
          body.replaceChildren(h("p", { className: "empty" }, "Reconciliation " + result.why));
          return;
        }
        items = result.items;
        const counts = new Map();
        for (const d of items) counts.set(kindOf(d), (counts.get(kindOf(d)) || 0) + 1);
        kinds.replaceChildren(...[...counts].map(([k, n]) => h("span", { className: "pill" }, h("b", {}, n), k.replace(/_/g, " "))));
        const chosen = filter.value;
        filter.replaceChildren(h("option", { value: "" }, "every kind"), ...[...counts.keys()].map((k) => h("option", { value: k }, k.replace(/_/g, " "))));
        filter.value = counts.has(chosen) ? chosen : "";
        render();
      }).finally(() => { loading = null; });
    };
    this.refresh();
  },
};

`;

/**
 * The Discrepancies page: the reconciliation lists (shipped not invoiced,
 * invoiced not shipped, received not invoiced, invoiced not received,
 * unknown tags, unknown products, stock gaps) with their evidence. The kinds
 * are the gateway's (the `counts` of GET /reconciliation); each known one
 * has a label and says what it means.
 */
import type { Discrepancy } from "@comptoir/contracts";
import {
  type Child,
  describe,
  fmtMoney,
  h,
  identityNodes,
  isInt,
  isObj,
  num,
  optional,
  table,
} from "./core.js";
import { arrayIn, data, isDiscrepancy } from "./data.js";
import type { Page } from "./page.js";
import { toMoney } from "./receivables.js";
import { plural } from "./words.js";

/** What each kind is called and means (business-rules.md, "Reconciliation"); a kind not listed shows by its name. */
const KINDS: Readonly<Record<string, { label: string; many?: string; means: string }>> = {
  shipped_not_invoiced: {
    label: "shipped, not invoiced",
    means:
      "more items seen leaving for an order (or customer) than its invoices bill: the surplus is not invoiced",
  },
  invoiced_not_shipped: {
    label: "invoiced, not shipped",
    means:
      "an order's invoices bill more than was seen leaving: the missing units were invoiced but not shipped",
  },
  received_not_invoiced: {
    label: "received, not invoiced",
    means: "more items received for a purchase order than the supplier invoiced",
  },
  invoiced_not_received: {
    label: "invoiced, not received",
    means: "a supplier invoiced more than was received: the missing units were never seen arriving",
  },
  unknown_tag: {
    label: "unknown tag",
    many: "unknown tags",
    means: "a tag that is neither an SGTIN nor commissioned to a SKU: commission it at a node",
  },
  unknown_product: {
    label: "unknown product",
    many: "unknown products",
    means:
      "items whose GTIN no product of the catalog has: add the GTIN to a product (or create one) and they count under it",
  },
  stock_gap: {
    label: "stock gap",
    many: "stock gaps",
    means: "the RFID count of a product differs from its book stock",
  },
};
const kindInfo = (kind: string) => (Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined);
const kindLabel = (kind: string): string =>
  kindInfo(kind)?.label ?? String(kind).replace(/_/g, " ");

type OpenDiscrepancies =
  | { ok: true; items: Discrepancy[]; kinds: string[] }
  | { ok: false; why: string };

/** Open discrepancies from GET /reconciliation, and the kinds the gateway reports, or why there are none to show. */
export async function loadDiscrepancies(): Promise<OpenDiscrepancies> {
  const result = await optional("/reconciliation");
  if (!result.ok) return { ok: false, why: result.why };
  const items = arrayIn(result.data, "discrepancies").filter(isDiscrepancy);
  const counts = isObj(result.data) && isObj(result.data.counts) ? result.data.counts : {};
  const kinds = Object.keys(counts).filter((k) => isInt(counts[k]));
  // Kinds seen in the list but not counted are listed too.
  for (const d of items) if (!kinds.includes(d.kind)) kinds.push(d.kind);
  return { ok: true, items, kinds };
}

/** Amounts come in minor units of the product's currency. */
const currencyOf = (d: Discrepancy) => {
  const product = d.sku === null ? undefined : data.products.get(d.sku);
  return product ? product.unitPrice.currency : undefined;
};

const SHOWN = 500;

const SEEN: Readonly<Record<string, string>> = { sales: "shipped", purchases: "received" };
/** The quantities in the words of the kind: shipped (received) against invoiced, counted against book, or items seen. */
function quantityOf(d: Discrepancy): string {
  if (d.kind === "unknown_product" || d.kind === "unknown_tag")
    return num(d.observed) + (d.observed === 1 ? " item" : " items");
  if (d.kind === "stock_gap") return `counted ${num(d.observed)} · book ${num(d.invoiced)}`;
  return `${SEEN[d.side] ?? "seen"} ${num(d.observed)} · invoiced ${num(d.invoiced)}`;
}

/** "shelf-a=2 off-site=1" (an unknown product's items per zone) reads "2 in shelf-a, 1 off site". */
function zoneText(zone: string): string {
  if (!/=/.test(zone)) return zone;
  return zone
    .split(/\s+/)
    .map((pair) => {
      const [where, n] = pair.split("=");
      return `${n}${where === "off-site" ? " off site" : ` in ${where}`}`;
    })
    .join(", ");
}

/** The order, the party, the product (or unknown product or tag), the zone and the EPCs the discrepancy is about. */
function subjectOf(d: Discrepancy): Child {
  const parts = [d.order, d.customer ?? d.supplier].filter((v): v is string => v !== null);
  // The kind already says unknown product or tag: the subject gives its GTIN, not the words again.
  const item =
    d.kind === "unknown_product" && d.gtin !== null
      ? [h("span", { className: "sub" }, "GTIN "), h("code", {}, d.gtin)]
      : d.kind !== "unknown_tag" && (d.sku !== null || d.gtin !== null)
        ? identityNodes(d, d.sku === null ? undefined : data.products.get(d.sku))
        : null;
  const nodes: Child[] = [];
  for (const part of parts) nodes.push(nodes.length ? " · " : "", part);
  if (item) nodes.push(nodes.length ? " · " : "", ...item);
  // Unknown tags have no product to name: their EPCs, when few, are what to look for.
  const epcs = d.kind === "unknown_tag" ? d.evidence.map((e) => e.epc) : [];
  if (epcs.length > 0 && epcs.length <= 3)
    nodes.push(
      nodes.length ? " · " : "",
      "EPC ",
      ...epcs.flatMap((epc, i) => [i ? ", " : "", h("code", {}, epc)]),
    );
  if (d.zone !== null) nodes.push(nodes.length ? " · " : "", zoneText(d.zone));
  return nodes.length ? nodes : "—";
}

function discrepancyRow(d: Discrepancy): HTMLElement {
  return h(
    "tr",
    { dataset: { kind: d.kind } },
    h(
      "td",
      {},
      h(
        "span",
        { className: "badge", dataset: { tone: "warn" }, title: kindInfo(d.kind)?.means ?? "" },
        kindLabel(d.kind),
      ),
    ),
    h("td", { className: "subject" }, subjectOf(d)),
    h("td", { className: "num" }, quantityOf(d)),
    h("td", { className: "num" }, fmtMoney(toMoney(d.amount, currencyOf(d)))),
    h("td", {}, `${d.ageDays} d`),
    h("td", {}, h("details", {}, h("summary", {}, "evidence"), describe(d.evidence))),
  );
}

export const discrepanciesPage: Page = {
  id: "discrepancies",
  title: "Discrepancies",
  topics: ["discrepancy"],
  mount(root) {
    const kinds = h("div", { className: "pills" });
    const body = h("div", {}, h("p", { className: "empty" }, "loading…"));
    const filter = h("select", { "aria-label": "kind" }, h("option", { value: "" }, "every kind"));
    const help = h("p", { className: "sub", id: "kind-help" });
    const count = h("p", { className: "sub" });
    let items: Discrepancy[] = [];
    const render = () => {
      const chosen = kindInfo(filter.value);
      help.textContent = chosen ? `${chosen.label}: ${chosen.means}` : "";
      const shown = items.filter((d) => !filter.value || d.kind === filter.value);
      count.textContent =
        shown.length > SHOWN ? `showing ${SHOWN} of ${shown.length}: choose a kind to narrow` : "";
      body.replaceChildren(
        table(
          ["Kind", "Subject", "Quantity ", "Amount ", "Age", "Evidence"],
          shown.slice(0, SHOWN).map(discrepancyRow),
          "no open discrepancy",
        ),
      );
    };
    filter.addEventListener("change", render);
    root.append(
      h("h1", {}, "Discrepancies"),
      h(
        "section",
        { className: "card" },
        h("div", { className: "toolbar" }, kinds, filter),
        help,
        count,
        body,
      ),
    );
    let loading: Promise<void> | null = null;
    this.refresh = () => {
      if (loading) return;
      loading = loadDiscrepancies()
        .then((result) => {
          if (!result.ok) {
            body.replaceChildren(h("p", { className: "empty" }, `Reconciliation ${result.why}`));
            return;
          }
          items = result.items;
          const counts = new Map(result.kinds.map((k) => [k, 0]));
          for (const d of items) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
          kinds.replaceChildren(
            ...[...counts]
              .filter(([, n]) => n > 0)
              .map(([k, n]) =>
                h(
                  "span",
                  { className: "pill", dataset: { kind: k }, title: kindInfo(k)?.means ?? "" },
                  h("b", {}, num(n)),
                  ` ${plural(n, kindLabel(k), kindInfo(k)?.many ?? kindLabel(k))}`,
                ),
              ),
          );
          const chosen = filter.value;
          filter.replaceChildren(
            h("option", { value: "" }, "every kind"),
            ...[...counts].map(([k, n]) => h("option", { value: k }, `${kindLabel(k)} (${n})`)),
          );
          filter.value = counts.has(chosen) ? chosen : "";
          render();
        })
        .finally(() => {
          loading = null;
        });
    };
    this.refresh();
  },
};

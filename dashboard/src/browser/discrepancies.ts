/**
 * The Discrepancies page: the reconciliation lists (shipped not invoiced,
 * invoiced not shipped, received not invoiced, invoiced not received,
 * unknown tags, unknown products, stock gaps) with their evidence. The kinds
 * are the gateway's (the `counts` of GET /reconciliation); each known one
 * has a label and says what it means.
 */
import {
  type Child,
  describe,
  fmtMoney,
  h,
  identityNodes,
  isInt,
  isObj,
  isStr,
  listOf,
  num,
  type Obj,
  optional,
  pick,
  table,
} from "./core.js";
import { data } from "./data.js";
import type { Page } from "./page.js";
import { toMoney } from "./receivables.js";

/** What each kind is called and means (business-rules.md, "Reconciliation"); a kind not listed shows by its name. */
export const KINDS: Readonly<Record<string, { label: string; means: string }>> = {
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
    means: "a tag that is neither an SGTIN nor commissioned to a SKU: commission it at a node",
  },
  unknown_product: {
    label: "unknown product",
    means:
      "items whose GTIN no product of the catalog has: add the GTIN to a product (or create one) and they count under it",
  },
  stock_gap: {
    label: "stock gap",
    means: "the RFID count of a product differs from its book stock",
  },
};
const kindInfo = (kind: string) => (Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined);
export const kindLabel = (kind: string): string =>
  kindInfo(kind)?.label ?? String(kind).replace(/_/g, " ");

const kindOf = (d: Obj) => String(pick(d, "kind", "type", "category") || "discrepancy");

export type OpenDiscrepancies =
  | { ok: true; items: Obj[]; kinds: string[] }
  | { ok: false; why: string };

/** Open discrepancies from GET /reconciliation, and the kinds the gateway reports, or why there are none to show. */
export async function loadDiscrepancies(): Promise<OpenDiscrepancies> {
  const result = await optional("/reconciliation");
  if (!result.ok) return { ok: false, why: result.why };
  const items = listOf(result.data)
    .filter(isObj)
    .filter((d) => !/resolved|closed/i.test(String(d.status || "")));
  const counts = isObj(result.data) && isObj(result.data.counts) ? result.data.counts : {};
  const kinds = Object.keys(counts).filter((k) => isInt(counts[k]));
  // Kinds seen in the list but not counted (an older gateway) are listed too.
  for (const d of items) if (!kinds.includes(kindOf(d))) kinds.push(kindOf(d));
  return { ok: true, items, kinds };
}

/** Amounts come in minor units; without a currency beside them, the product's tells it. */
const currencyOf = (d: Obj) => {
  const product = typeof d.sku === "string" ? data.products.get(d.sku) : undefined;
  return product ? product.unitPrice.currency : undefined;
};

const SHOWN = 500;

const SEEN: Readonly<Record<string, string>> = { sales: "shipped", purchases: "received" };
/** The quantities in the words of the kind: shipped (received) against invoiced, counted against book, or items seen. */
function quantityOf(d: Obj, kind: string): string {
  if (isInt(d.observed) && (kind === "unknown_product" || kind === "unknown_tag"))
    return num(d.observed) + (d.observed === 1 ? " item" : " items");
  if (isInt(d.observed) && isInt(d.invoiced)) {
    if (kind === "stock_gap") return `counted ${num(d.observed)} · book ${num(d.invoiced)}`;
    const seen = (isStr(d.side) && SEEN[d.side]) || "seen";
    return `${seen} ${num(d.observed)} · invoiced ${num(d.invoiced)}`;
  }
  const shipped = pick(d, "shipped", "shippedQuantity", "received", "observed");
  const invoiced = pick(d, "invoiced", "invoicedQuantity");
  return shipped !== undefined || invoiced !== undefined
    ? `${shipped === undefined ? "—" : String(shipped)} vs ${invoiced === undefined ? "—" : String(invoiced)}`
    : String(pick(d, "quantity", "difference") || "—");
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

/** The order, the party, the product (or unknown product or tag), the zone and the EPC the discrepancy is about. */
function subjectOf(d: Obj, kind: string): Child {
  const parts = [pick(d, "order", "orderRef"), pick(d, "customer", "supplier")]
    .filter((v) => v !== undefined)
    .map(String);
  // The kind already says unknown product or tag: the subject gives its GTIN, not the words again.
  const item =
    kind === "unknown_product" && isStr(d.gtin)
      ? [h("span", { className: "sub" }, "GTIN "), h("code", {}, d.gtin)]
      : kind !== "unknown_tag" && (isStr(d.sku) || isStr(d.gtin))
        ? identityNodes(d, isStr(d.sku) ? data.products.get(d.sku) : undefined)
        : null;
  const after = [isStr(d.zone) ? zoneText(d.zone) : undefined, pick(d, "epc")]
    .filter((v) => v !== undefined)
    .map(String);
  const nodes: Child[] = [];
  for (const part of parts) nodes.push(nodes.length ? " · " : "", part);
  if (item) nodes.push(nodes.length ? " · " : "", ...item);
  // Unknown tags have no product to name: their EPCs, when few, are what to look for.
  const epcs =
    kind === "unknown_tag" && Array.isArray(d.evidence)
      ? d.evidence
          .filter((e): e is Obj & { epc: string } => isObj(e) && isStr(e.epc))
          .map((e) => e.epc)
      : [];
  if (epcs.length > 0 && epcs.length <= 3)
    nodes.push(
      nodes.length ? " · " : "",
      "EPC ",
      ...epcs.flatMap((epc, i) => [i ? ", " : "", h("code", {}, epc)]),
    );
  for (const part of after) nodes.push(nodes.length ? " · " : "", part);
  return nodes.length ? nodes : "—";
}

function discrepancyRow(d: Obj): HTMLElement {
  const { evidence, ...rest } = d;
  const kind = kindOf(d);
  const age = pick(d, "age", "ageDays", "since");
  return h(
    "tr",
    { dataset: { kind } },
    h(
      "td",
      {},
      h(
        "span",
        { className: "badge", dataset: { tone: "warn" }, title: kindInfo(kind)?.means ?? "" },
        kindLabel(kind),
      ),
    ),
    h("td", { className: "subject" }, subjectOf(d, kind)),
    h("td", { className: "num" }, quantityOf(d, kind)),
    h(
      "td",
      { className: "num" },
      fmtMoney(toMoney(pick(d, "amount", "value"), d.currency || currencyOf(d))),
    ),
    h("td", {}, isInt(age) ? `${age} d` : String(age || "—")),
    h(
      "td",
      {},
      h(
        "details",
        {},
        h("summary", {}, evidence ? "evidence" : "details"),
        describe(evidence === undefined ? rest : evidence),
      ),
    ),
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
    let items: Obj[] = [];
    const render = () => {
      const chosen = kindInfo(filter.value);
      help.textContent = chosen ? `${chosen.label}: ${chosen.means}` : "";
      const shown = items.filter((d) => !filter.value || kindOf(d) === filter.value);
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
          for (const d of items) counts.set(kindOf(d), (counts.get(kindOf(d)) ?? 0) + 1);
          kinds.replaceChildren(
            ...[...counts]
              .filter(([, n]) => n > 0)
              .map(([k, n]) =>
                h(
                  "span",
                  { className: "pill", dataset: { kind: k }, title: kindInfo(k)?.means ?? "" },
                  h("b", {}, n),
                  kindLabel(k),
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

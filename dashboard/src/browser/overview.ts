/**
 * The Overview page: what a manager reads at a glance in the morning. Each
 * card shows only what the role may read; a part the gateway does not offer
 * says so.
 *
 * The stock value is the gateway's FIFO value (see value-card.ts).
 *
 * Credit exposure is the sum of the customers' exposures as the credit rules
 * define them (GET /dashboard/credit adds up what GET /api/v1/credit/:customer
 * computes). A customer over its limit is an alert while it is over: these
 * alerts are current, not a log. With credit:read the list is the gateway's,
 * asked again on each alert of the live feed; without, it is the feed's own
 * crossings since the page opened. Either way a customer back within its
 * limit (the feed's "within-limit" alert) is no longer shown.
 */
import type { CreditOverviewView } from "@comptoir/contracts";
import { type Column, columns } from "./charts.js";
import {
  ago,
  type Child,
  clock,
  h,
  isInt,
  isObj,
  isStr,
  isStrOrNull,
  money,
  num,
  optional,
  serial,
  session,
  time,
} from "./core.js";
import { type Alert, CHART_MINUTES, can, data } from "./data.js";
import { loadDiscrepancies } from "./discrepancies.js";
import { type Health, nodeHealth, TONE } from "./nodes.js";
import { orderList } from "./orders-data.js";
import type { Page } from "./page.js";
import { stockValueCard } from "./value-card.js";

function card(title: string, ...children: Child[]): HTMLElement {
  return h("section", { className: "card" }, h("h2", {}, title), ...children);
}

const CREDIT_CODES = new Set<string | null>(["over-limit", "within-limit"]);

/** An alert line: `at` null for a state (a broken chain) rather than an event. */
type AlertLine = Pick<Alert, "level" | "message" | "at">;
/** A customer over its limit, as far as the Overview reads it (and checks it). */
type OverLimitLine = Pick<
  CreditOverviewView["overLimit"][number],
  "customer" | "message" | "since"
>;
/** GET /dashboard/credit, as far as the Overview reads it. */
type CreditOverview = Omit<CreditOverviewView, "overLimit"> & { overLimit: OverLimitLine[] };

/** From the feed alone (newest first): the customers whose last credit alert says over the limit. */
function overLimitFromFeed(): AlertLine[] {
  const seen = new Set<string | null>();
  const current: AlertLine[] = [];
  for (const alert of data.alerts) {
    if (!CREDIT_CODES.has(alert.code) || seen.has(alert.customer)) continue;
    seen.add(alert.customer);
    if (alert.code === "over-limit") current.push(alert);
  }
  return current;
}

function minuteBuckets(): Column[] {
  const now = Math.floor(Date.now() / 60000) * 60000;
  const buckets: Column[] = [];
  for (let i = CHART_MINUTES - 1; i >= 0; i--) {
    const minute = now - i * 60000;
    const label = clock(minute);
    buckets.push({
      label,
      value: data.perMinute.get(minute) ?? 0,
      tick: i % 10 === 0 ? (i === 0 ? "now" : `−${i} min`) : undefined,
      tone: i === 0 ? "now" : "",
    });
  }
  return buckets;
}

/** The body of GET /dashboard/credit, when it has the documented shape. */
function creditOverview(body: unknown): CreditOverview | null {
  if (!isObj(body)) return null;
  const { exposure, currency, customers, overLimit } = body;
  if (!isInt(exposure) || !isStr(currency) || !isInt(customers) || !Array.isArray(overLimit))
    return null;
  return {
    exposure,
    currency,
    customers,
    overLimit: overLimit.filter(
      (o: unknown): o is OverLimitLine =>
        isObj(o) && isStr(o.customer) && isStr(o.message) && isStrOrNull(o.since),
    ),
  };
}

/** The held orders' count and total value, linking to the Orders page (GET /orders?state=held). */
async function heldOrders(): Promise<HTMLElement> {
  const result = await optional("/orders?state=held");
  const list = result.ok ? orderList(result.data) : null;
  if (!list)
    return h(
      "p",
      { className: "empty" },
      result.ok ? "the gateway answered something unexpected" : result.why,
    );
  const held = list.orders.filter((o) => o.state === "held");
  const count = list.counts.held ?? held.length;
  // One site, one currency: an order in another would have been refused at entry.
  const currency = held[0]?.currency;
  const value = held.reduce((sum, o) => sum + o.total, 0);
  return h(
    "a",
    { href: "#/orders", className: "plain", id: "held-orders-link" },
    h("div", { className: "figure", dataset: { tone: count ? "warn" : "ok" } }, num(count)),
    h(
      "div",
      { className: "sub", id: "held-value" },
      count ? `${money(value, currency)} held for credit` : "no order held for credit",
    ),
  );
}

export const overviewPage: Page = {
  id: "overview",
  title: "Overview",
  topics: ["nodes", "stock", "products", "movements", "alerts", "credit", "discrepancy", "orders"],
  mount(root) {
    const parts = {
      nodes: h("div", { id: "node-counts" }),
      chart: h("div", { id: "chart" }),
      value: stockValueCard(),
      discrepancies: h(
        "div",
        { id: "open-discrepancies" },
        h("p", { className: "empty" }, "loading…"),
      ),
      exposure: h("div", { id: "exposure" }, h("p", { className: "empty" }, "loading…")),
      held: h("div", { id: "held-count" }, h("p", { className: "empty" }, "loading…")),
      alerts: h("div", { id: "alerts" }),
    };
    const cards: HTMLElement[] = [];
    if (can("nodes:read")) cards.push(card("Nodes", parts.nodes));
    if (can("stock:read")) cards.push(card("Stock value", parts.value.root));
    if (session.pages.includes("discrepancies"))
      cards.push(card("Open discrepancies", parts.discrepancies));
    if (session.pages.includes("credit") && can("credit:read"))
      cards.push(card("Credit exposure", parts.exposure));
    const showHeld = session.pages.includes("orders");
    if (showHeld) cards.push(card("Held orders", parts.held));
    root.append(
      h("h1", {}, "Overview"),
      h("div", { className: "grid" }, cards),
      h(
        "div",
        { className: "grid wide" },
        can("movements:read") ? card("Movements per minute", parts.chart) : null,
        card("Alerts", parts.alerts),
      ),
    );

    const renderNodes = () => {
      const counts: Record<Health, number> = { online: 0, degraded: 0, offline: 0, broken: 0 };
      for (const node of data.nodes.values()) counts[nodeHealth(node)] += 1;
      const tone = (k: Health, n: number) =>
        n > 0 && k !== "online" ? TONE[k] : k === "online" && n > 0 ? "ok" : "";
      parts.nodes.replaceChildren(
        h(
          "div",
          { className: "pills" },
          (Object.entries(counts) as [Health, number][]).map(([k, n]) =>
            h(
              "span",
              { className: "pill", dataset: { tone: tone(k, n), health: k } },
              h("b", {}, n),
              k,
            ),
          ),
        ),
        h("p", { className: "sub" }, `${data.nodes.size} enrolled`),
      );
    };
    const renderChart = () => {
      const buckets = minuteBuckets();
      const total = buckets.reduce((sum, b) => sum + b.value, 0);
      parts.chart.replaceChildren(
        columns(buckets, {
          label: `movements per minute, last ${CHART_MINUTES} minutes`,
          unit: "/min",
        }),
        h(
          "p",
          { className: "sub", id: "movements-total" },
          `${num(total)} movements in the last ${CHART_MINUTES} minutes`,
        ),
      );
    };
    // The gateway's customers over their limit (GET /dashboard/credit); null until asked, or when the role may not.
    let overLimit: OverLimitLine[] | null = null;
    const renderAlerts = () => {
      const broken: AlertLine[] = [...data.nodes.values()].flatMap((n) =>
        n.chain.state === "broken"
          ? [
              {
                level: "critical",
                message: `${n.id}: chain broken at seq ${n.chain.seq} (${n.chain.reason})`,
                at: null,
              },
            ]
          : [],
      );
      const credit: AlertLine[] = overLimit
        ? overLimit.map((o) => ({ level: "warning", message: o.message, at: o.since }))
        : overLimitFromFeed();
      const all = broken
        .concat(
          credit,
          data.alerts.filter((a) => !CREDIT_CODES.has(a.code)),
        )
        .slice(0, 20);
      parts.alerts.replaceChildren(
        all.length === 0
          ? h("p", { className: "empty" }, "no alert")
          : h(
              "ul",
              { className: "list" },
              all.map((a) =>
                h(
                  "li",
                  { dataset: { level: a.level } },
                  h(
                    "span",
                    {
                      className: "badge",
                      dataset: { tone: a.level === "critical" ? "bad" : "warn" },
                    },
                    a.level,
                  ),
                  " ",
                  a.message,
                  a.at
                    ? h("span", { className: "sub", title: time(a.at) }, ` · ${ago(a.at)}`)
                    : null,
                ),
              ),
            ),
      );
    };
    const fetchDiscrepancies = serial(async () => {
      const open = await loadDiscrepancies();
      parts.discrepancies.replaceChildren(
        open.ok
          ? h(
              "div",
              {},
              h(
                "div",
                { className: "figure", dataset: { tone: open.items.length ? "warn" : "ok" } },
                num(open.items.length),
              ),
              h("div", { className: "sub" }, "to look into"),
            )
          : h("p", { className: "empty" }, open.why),
      );
    });
    const fetchCredit = serial(async () => {
      const result = await optional("/dashboard/credit");
      const body = result.ok ? creditOverview(result.data) : null;
      overLimit = body ? body.overLimit : null;
      parts.exposure.replaceChildren(
        body
          ? h(
              "div",
              {},
              h("div", { className: "figure" }, money(body.exposure, body.currency)),
              h(
                "div",
                { className: "sub" },
                "the customers' exposures summed: open invoices − unapplied payments + shipped and counter sales not invoiced + approved orders not yet shipped",
              ),
              h(
                "div",
                { className: "sub", id: "over-limit" },
                `${num(body.customers)} customers · ${
                  body.overLimit.length
                    ? `${num(body.overLimit.length)} over their limit`
                    : "none over its limit"
                }`,
              ),
            )
          : h(
              "p",
              { className: "empty" },
              result.ok ? "the gateway answered something unexpected" : result.why,
            ),
      );
      renderAlerts();
    });
    const fetchHeld = serial(async () => {
      parts.held.replaceChildren(await heldOrders());
    });
    this.refresh = (topics) => {
      const all = !topics;
      if (all || topics.has("nodes")) {
        renderNodes();
        renderAlerts();
      }
      if (all || topics.has("movements")) renderChart();
      if (can("stock:read") && (all || topics.has("stock") || topics.has("products")))
        parts.value.refresh();
      if (all || topics.has("alerts")) renderAlerts();
      // The money reports are heavier to compute: asked for once the rest is on screen, not before.
      const ready = all && data.loaded;
      if (session.pages.includes("discrepancies") && (ready || topics?.has("discrepancy")))
        fetchDiscrepancies();
      if (showHeld && (ready || topics?.has("orders"))) fetchHeld();
      // Any alert may be a credit limit crossed, either way or while offline: the credit figures are asked again.
      if (can("credit:read") && (ready || topics?.has("credit") || topics?.has("alerts")))
        fetchCredit();
    };
    this.refresh();
    // The chart's window moves with the clock even when nothing happens.
    this.timer = setInterval(renderChart, 15000);
  },
  unmount() {
    clearInterval(this.timer);
  },
};

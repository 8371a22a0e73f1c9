/**
 * The Credit page's credit decisions: the history the gateway keeps
 * (GET /credit/decisions: the counters' decisions from their synced ledgers,
 * credit checks and order entries), filtered by outcome, customer and date,
 * with the live feed's counter decisions that match the filters put on top
 * as they come. A gateway without the route gives the feed's decisions
 * since the page opened, and says so.
 */
import { h, isObj, money, optional, table, time } from "./core.js";
import { data } from "./data.js";
import { type DecisionLine, decisionOfLive, decisionOfRecord, type Reason } from "./orders-data.js";

const HISTORY_LIMIT = 100;

interface Filters {
  outcome: "block" | "approve" | "";
  customer: string;
  /** A calendar day (UTC), or "". */
  since: string;
}

function query(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.outcome) params.set("outcome", filters.outcome);
  if (filters.customer) params.set("customer", filters.customer);
  if (filters.since) params.set("since", `${filters.since}T00:00:00.000Z`);
  params.set("limit", String(HISTORY_LIMIT));
  return `/credit/decisions?${params}`;
}

const matches = (line: DecisionLine, filters: Filters) =>
  (!filters.outcome || line.decision === filters.outcome) &&
  (!filters.customer || line.customer === filters.customer) &&
  (!filters.since || line.at >= `${filters.since}T00:00:00.000Z`);

function reasonsOf(reasons: readonly Reason[], currency: string): HTMLElement {
  return h(
    "div",
    { className: "sub" },
    reasons.map((r) =>
      h(
        "div",
        {},
        r.message,
        r.items?.length
          ? ` (${r.items.map((i) => `${i.invoice} ${money(i.open, currency)}, ${i.daysOverdue} days`).join("; ")})`
          : "",
      ),
    ),
  );
}

function row(line: DecisionLine): HTMLElement {
  return h(
    "tr",
    { dataset: { decision: line.decision, customer: line.customer, key: line.key } },
    h("td", { className: "nowrap" }, time(line.at)),
    h(
      "td",
      {},
      h("b", {}, line.customerName || line.customer),
      line.customerName ? h("div", { className: "sub" }, line.customer) : null,
    ),
    h(
      "td",
      {},
      h(
        "span",
        { className: "badge", dataset: { tone: line.decision === "block" ? "bad" : "ok" } },
        line.decision === "block" ? "blocked" : "approved",
      ),
      line.offline ? h("span", { className: "badge", title: "decided offline" }, "offline") : null,
    ),
    h("td", { className: "num" }, money(line.amount, line.currency)),
    h("td", {}, line.where, h("div", { className: "sub" }, line.by)),
    h("td", {}, reasonsOf(line.reasons, line.currency)),
  );
}

/** The section: its element, `reload` (ask the gateway again) and `redraw` (the feed brought a decision). */
export function decisionsSection(): { root: HTMLElement; reload(): void; redraw(): void } {
  const filters: Filters = { outcome: "block", customer: "", since: "" };
  let history: DecisionLine[] | null = null;
  let note = "";
  const list = h("div", { id: "decisions" }, h("p", { className: "empty" }, "loading…"));
  const outcome = h(
    "select",
    { name: "outcome", "aria-label": "outcome" },
    h("option", { value: "block" }, "blocked"),
    h("option", { value: "approve" }, "approved"),
    h("option", { value: "" }, "all"),
  );
  const customer = h("input", {
    name: "customer",
    placeholder: "customer id",
    "aria-label": "customer",
    size: 12,
  });
  const since = h("input", { name: "since", type: "date", "aria-label": "since" });
  const form = h(
    "form",
    { className: "filters", id: "decision-filters" },
    outcome,
    customer,
    since,
    h("button", { type: "submit", className: "quiet" }, "Show"),
  );

  const redraw = () => {
    const live = data.credit.map(decisionOfLive).filter((line) => matches(line, filters));
    const seen = new Set<string>();
    const lines = [...live, ...(history ?? [])]
      .filter((line) => !seen.has(line.key) && seen.add(line.key))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, HISTORY_LIMIT);
    list.replaceChildren(
      note ? h("p", { className: "sub" }, note) : "",
      table(
        ["When", "Customer", "Decision", "Amount ", "Where", "Why"],
        lines.map(row),
        history === null ? "no decision since this page opened" : "no decision matches",
      ),
    );
  };

  let asked = 0;
  const reload = async () => {
    const mine = ++asked;
    const result = await optional(query(filters));
    if (mine !== asked) return;
    if (!result.ok) {
      history = null;
      note = `history: ${result.why}; the live feed's decisions since this page opened:`;
    } else {
      const records =
        isObj(result.data) && Array.isArray(result.data.decisions) ? result.data.decisions : null;
      if (!records) {
        history = null;
        note = "history: the gateway answered something unexpected";
      } else {
        const lines = records.map(decisionOfRecord);
        history = lines.filter((l): l is DecisionLine => l !== null);
        const skipped = lines.length - history.length;
        note = skipped ? `${skipped} decisions had an unexpected shape and are not shown` : "";
      }
    }
    redraw();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = outcome.value;
    filters.outcome = value === "block" || value === "approve" ? value : "";
    filters.customer = customer.value.trim();
    filters.since = /^\d{4}-\d{2}-\d{2}$/.test(since.value) ? since.value : "";
    reload();
  });
  outcome.addEventListener("change", () => form.requestSubmit());
  since.addEventListener("change", () => form.requestSubmit());

  return { root: h("div", {}, form, list), reload, redraw };
}

/**
 * The Credit and receivables page: customers by exposure, blocked attempts at
 * the counters, the aged balance, DSO and the dunning queue. Each part says
 * so plainly when the gateway does not offer its route or the role may not
 * see it. The routes' shapes are read with care (a field may be named one of
 * a few ways, or be missing): what is not understood is shown as it came.
 */
import type { AgingReportView } from "@comptoir/contracts";
import { bars } from "./charts.js";
import {
  describe,
  fmtMoney,
  h,
  isInt,
  isMoney,
  isObj,
  isStr,
  listOf,
  type Money,
  money,
  type Obj,
  optional,
  pick,
  table,
  time,
} from "./core.js";
import { data } from "./data.js";
import type { Page } from "./page.js";

/** A money value from a field that holds { amount, currency }, or minor units with the currency given beside. */
export function toMoney(value: unknown, currency: unknown): Money | null {
  if (isMoney(value)) return value;
  if (isInt(value) && isStr(currency)) return { amount: value, currency };
  return null;
}

interface Bucket {
  label: string;
  money: Money;
}
const hasMoney = (b: { label: string; money: Money | null }): b is Bucket => b.money !== null;

/**
 * The aged balance as [{ label, money }], from a list of buckets or an object
 * keyed by bucket; then the "unapplied" column (unapplied payments and credit
 * notes, negative) when the route gives it beside the buckets.
 */
export function agingBuckets(body: unknown): Bucket[] {
  if (!isObj(body) && !Array.isArray(body)) return [];
  const currency = isObj(body) ? body.currency : undefined;
  const source = isObj(body) ? pick(body, "buckets", "aging", "balance") || body : body;
  const unapplied = isObj(body) && source !== body ? toMoney(body.unapplied, currency) : null;
  const withUnapplied = (list: Bucket[]) =>
    unapplied ? [...list, { label: "unapplied", money: unapplied }] : list;
  if (Array.isArray(source)) {
    return withUnapplied(
      source
        .filter(isObj)
        .map((b) => ({
          label: String(pick(b, "bucket", "label", "name", "range") || "?"),
          money: toMoney(
            pick(b, "amount", "balance", "total", "open"),
            pick(b, "currency") || currency,
          ),
        }))
        .filter(hasMoney),
    );
  }
  if (isObj(source)) {
    return withUnapplied(
      Object.entries(source)
        .filter(([key]) => key !== "total" && key !== "currency" && key !== "asOf")
        .map(([label, value]) => ({ label, money: toMoney(value, currency) }))
        .filter(hasMoney),
    );
  }
  return [];
}

const AGE_COLUMNS = ["current", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;

/**
 * GET /receivables/aging as documented, per customer with its buckets (the
 * amounts themselves are shown as "—" when not integers: money() checks them).
 */
const isAgingReport = (body: unknown): body is AgingReportView =>
  isObj(body) &&
  isStr(body.currency) &&
  isObj(body.buckets) &&
  Array.isArray(body.customers) &&
  body.customers.every((line) => isObj(line) && isStr(line.customer) && isObj(line.buckets));

/**
 * The aged balance per customer, then the totals: the age buckets, the
 * unapplied column (never netted into a bucket) and the total, which is the
 * receivable balance. Null when the route gives no customers.
 */
export function agingTable(body: unknown): HTMLElement | null {
  if (!isAgingReport(body)) return null;
  const cells = (line: Pick<AgingReportView, "buckets" | "unapplied" | "total">) =>
    [...AGE_COLUMNS.map((column) => line.buckets[column]), line.unapplied, line.total].map(
      (amount) => h("td", { className: "num" }, money(amount, body.currency)),
    );
  const rows = body.customers.map((line) =>
    h("tr", { dataset: { agingCustomer: line.customer } }, h("td", {}, line.customer), cells(line)),
  );
  if (rows.length > 0)
    rows.push(
      h("tr", { dataset: { agingTotal: "" } }, h("td", {}, h("b", {}, "Total")), cells(body)),
    );
  const out = table(
    ["Customer", ...AGE_COLUMNS.map((column) => `${column} `), "unapplied ", "total "],
    rows,
    "nothing is owed",
  );
  const inner = out.querySelector("table");
  if (inner) inner.classList.add("aging");
  return out;
}

/** The total receivable: the route's own total, or the sum of its buckets when they share one currency. */
export function agingTotal(body: unknown): Money | null {
  const currency = isObj(body) ? body.currency : undefined;
  const total = toMoney(pick(body, "total", "totalBalance"), currency);
  if (total) return total;
  const buckets = agingBuckets(body);
  const first = buckets[0];
  if (first === undefined) return null;
  const currencies = new Set(buckets.map((b) => b.money.currency));
  if (currencies.size !== 1) return null;
  return {
    amount: buckets.reduce((sum, b) => sum + b.money.amount, 0),
    currency: first.money.currency,
  };
}

const unavailable = (why: string) => h("p", { className: "empty" }, why);

/** Exposure from a credit statement: { exposure: { total, openInvoices: { amount }, … }, currency }, or a plain figure. */
function exposureOf(credit: Obj): Money | null {
  const exposure = credit.exposure;
  if (isObj(exposure)) return toMoney(exposure.total, credit.currency);
  return toMoney(pick(credit, "exposure", "outstanding", "balance"), credit.currency);
}

const COMPONENTS: Readonly<Record<string, string>> = {
  openInvoices: "open invoices",
  unappliedPayments: "unapplied payments",
  shippedNotInvoiced: "shipped, not invoiced",
  counterSales: "counter sales on account",
};

/** The exposure itemised, as business rules ask: each component and the documents behind it. */
function itemised(credit: Obj): HTMLElement | null {
  if (!isObj(credit.exposure)) return null;
  const parts = Object.entries(credit.exposure).filter(
    (entry): entry is [string, Obj] =>
      entry[0] !== "total" && isObj(entry[1]) && isInt(entry[1].amount),
  );
  if (parts.length === 0) return null;
  return h(
    "details",
    {},
    h("summary", {}, "itemised"),
    h(
      "dl",
      { className: "kv" },
      parts.flatMap(([key, value]) => [
        h("dt", {}, COMPONENTS[key] || key),
        h(
          "dd",
          {},
          money(value.amount, credit.currency),
          Array.isArray(value.documents) && value.documents.length
            ? h(
                "div",
                { className: "sub" },
                value.documents
                  .filter(isObj)
                  .slice(0, 10)
                  .map(
                    (d) => `${String(d.kind)} ${String(d.id)} ${money(d.amount, credit.currency)}`,
                  )
                  .join(" · "),
              )
            : null,
        ),
      ]),
    ),
  );
}

type Customer = Obj & { id: string };

function customerRow(customer: Customer, c: Obj, exposure: Money | null): HTMLElement {
  const unlimited = c.unlimited === true || customer.creditLimit === "unlimited";
  const limit = unlimited
    ? null
    : toMoney(pick(c, "limit", "creditLimit"), c.currency) ||
      (isMoney(customer.creditLimit) ? customer.creditLimit : null);
  const overdue = isObj(c.overdue)
    ? toMoney(c.overdue.amount, c.currency)
    : toMoney(c.overdue, c.currency);
  const share =
    limit && exposure && limit.amount > 0 ? Math.min(1, exposure.amount / limit.amount) : 0;
  const status = String(pick(c, "status") || "—");
  const statusTone = /block|hold/i.test(status)
    ? "bad"
    : /warn/i.test(status)
      ? "warn"
      : /ok/i.test(status)
        ? "ok"
        : "";
  return h(
    "tr",
    { dataset: { customer: customer.id } },
    h(
      "td",
      {},
      h("b", {}, String(customer.name || customer.id)),
      h("div", { className: "sub" }, customer.id),
    ),
    h("td", { className: "num exposure" }, exposure ? fmtMoney(exposure) : "—", itemised(c)),
    h("td", { className: "num" }, unlimited ? "unlimited" : limit ? fmtMoney(limit) : "—"),
    h("td", { className: "num" }, fmtMoney(toMoney(pick(c, "available"), c.currency))),
    h("td", { className: "num" }, overdue?.amount ? fmtMoney(overdue) : "—"),
    h(
      "td",
      {},
      h(
        "div",
        { className: "meter", title: `${Math.round(share * 100)} % of the limit` },
        h("span", {
          style: `width:${Math.round(share * 100)}%`,
          dataset: { tone: share >= 1 ? "bad" : share > 0.8 ? "warn" : "" },
        }),
      ),
    ),
    h("td", {}, h("span", { className: "badge", dataset: { tone: statusTone } }, status)),
  );
}

async function customersByExposure(): Promise<HTMLElement> {
  const list = await optional("/customers");
  if (!list.ok) return unavailable(list.why);
  const customers = listOf(list.data)
    .filter((c): c is Customer => isObj(c) && isStr(c.id))
    .slice(0, 200);
  const credits = await Promise.all(
    customers.map((c) => optional(`/credit/${encodeURIComponent(c.id)}`)),
  );
  const refused = credits[0];
  if (refused && !refused.ok && credits.every((c) => !c.ok))
    return unavailable(`credit per customer: ${refused.why}`);
  const rows = customers
    .map((customer, i) => {
      const answer = credits[i];
      const credit = answer?.ok && isObj(answer.data) ? answer.data : {};
      return { customer, credit, exposure: exposureOf(credit) };
    })
    .sort((a, b) => (b.exposure ? b.exposure.amount : -1) - (a.exposure ? a.exposure.amount : -1));
  return table(
    ["Customer", "Exposure ", "Limit ", "Available ", "Overdue ", "Used", "Status"],
    rows.map((r) => customerRow(r.customer, r.credit, r.exposure)),
    "no customer yet",
  );
}

const AGING_TONES = ["", "", "late", "late", "later", "later"];

async function agedBalance(): Promise<HTMLElement> {
  const aging = await optional("/receivables/aging");
  if (!aging.ok) return unavailable(aging.why);
  const buckets = agingBuckets(aging.data);
  if (buckets.length === 0) return h("div", {}, describe(aging.data));
  const total = agingTotal(aging.data);
  return h(
    "div",
    {},
    total
      ? h(
          "p",
          {},
          h("span", { className: "figure" }, fmtMoney(total)),
          h("span", { className: "sub" }, " receivable"),
        )
      : null,
    bars(
      buckets.map((b, i) => ({
        label: b.label,
        value: b.money.amount,
        text: fmtMoney(b.money),
        tone: b.label === "unapplied" ? "" : AGING_TONES[i] || "later",
      })),
      { label: "aged balance" },
    ),
    agingTable(aging.data),
  );
}

const days = (v: unknown) => (typeof v === "number" ? (Math.round(v * 100) / 100).toString() : "—");

async function dso(): Promise<Node | string> {
  const result = await optional("/receivables/dso");
  if (!result.ok) return unavailable(result.why);
  const body = result.data;
  if (isObj(body) && ("accounting" in body || "countback" in body)) {
    return h(
      "div",
      {},
      h(
        "div",
        { className: "pills" },
        h("span", { className: "pill" }, h("b", {}, days(body.accounting)), "accounting"),
        h("span", { className: "pill" }, h("b", {}, days(body.countback)), "countback"),
      ),
      h(
        "p",
        { className: "sub" },
        [
          isStr(body.period) ? `period ${body.period}` : null,
          isInt(body.receivables) ? `receivables ${money(body.receivables, body.currency)}` : null,
          isInt(body.sales) ? `sales ${money(body.sales, body.currency)}` : null,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
    );
  }
  const figures = isObj(body)
    ? Object.entries(body).filter(
        (entry): entry is [string, number] => typeof entry[1] === "number",
      )
    : [];
  if (figures.length === 0) return describe(body);
  return h(
    "div",
    { className: "pills" },
    figures.map(([key, value]) => h("span", { className: "pill" }, h("b", {}, days(value)), key)),
  );
}

async function dunning(): Promise<HTMLElement> {
  const result = await optional("/dunning");
  if (!result.ok) return unavailable(result.why);
  const items = listOf(result.data);
  return table(
    ["Customer", "Level", "Amount ", "Details"],
    items.filter(isObj).map((item) => {
      const { customer, level, amount, ...rest } = item;
      return h(
        "tr",
        {},
        h("td", {}, String(pick(item, "customerName", "customer") || "—")),
        h("td", {}, String(level === undefined ? "—" : level)),
        h(
          "td",
          { className: "num" },
          fmtMoney(toMoney(pick(item, "amount", "total", "overdue"), item.currency)),
        ),
        h("td", {}, h("details", {}, h("summary", {}, "details"), describe(rest))),
      );
    }),
    "no reminder is due",
  );
}

function blockedAttempts(): HTMLElement {
  const blocked = data.credit.filter((e) => e.decision === "block");
  if (blocked.length === 0)
    return h("p", { className: "empty" }, "no blocked attempt since this page opened");
  return h(
    "ul",
    { className: "list" },
    blocked
      .slice(0, 30)
      .map((e) =>
        h(
          "li",
          {},
          h("b", {}, String(e.customer || "?")),
          " blocked",
          isStr(e.node) ? ` at ${e.node}` : "",
          " · ",
          time(e.at),
          Array.isArray(e.reasons)
            ? h("div", { className: "sub" }, e.reasons.map(String).join("; "))
            : null,
        ),
      ),
  );
}

export const receivablesPage: Page = {
  id: "credit",
  title: "Credit",
  topics: ["credit"],
  mount(root) {
    const parts = {
      customers: h("div"),
      aging: h("div"),
      dso: h("div"),
      dunning: h("div"),
      blocked: h("div"),
    };
    root.append(
      h("h1", {}, "Credit and receivables"),
      h(
        "div",
        { className: "split" },
        h("section", { className: "card" }, h("h2", {}, "Customers by exposure"), parts.customers),
        h(
          "div",
          {},
          h("section", { className: "card" }, h("h2", {}, "Aged balance"), parts.aging),
          h("section", { className: "card" }, h("h2", {}, "DSO (days)"), parts.dso),
          h("section", { className: "card" }, h("h2", {}, "Blocked at the counter"), parts.blocked),
        ),
      ),
      h("section", { className: "card" }, h("h2", {}, "Dunning queue"), parts.dunning),
    );
    let loading: Promise<void> | null = null;
    const load = async () => {
      const [customers, aging, figures, queue] = await Promise.all([
        customersByExposure(),
        agedBalance(),
        dso(),
        dunning(),
      ]);
      parts.customers.replaceChildren(customers);
      parts.aging.replaceChildren(aging);
      parts.dso.replaceChildren(figures);
      parts.dunning.replaceChildren(queue);
    };
    this.refresh = () => {
      parts.blocked.replaceChildren(blockedAttempts());
      if (!loading)
        loading = load().finally(() => {
          loading = null;
        });
    };
    for (const part of Object.values(parts))
      part.append(h("p", { className: "empty" }, "loading…"));
    this.refresh();
  },
};

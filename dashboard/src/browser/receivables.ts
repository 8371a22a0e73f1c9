/**
 * The Credit and receivables page: customers by exposure, blocked attempts at
 * the counters, the aged balance, DSO and the dunning queue. Each part says
 * so plainly when the gateway does not offer its route or the role may not
 * see it. Customers, credit statements, the aged balance and DSO are read as
 * contracts documents them (type guards on its types); an answer of another
 * shape, and the dunning letters, are shown as they came.
 */
import type {
  AgingReportView,
  CreditStatementView,
  DsoReportView,
  StoredCustomerView,
} from "@comptoir/contracts";
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
  optional,
  pick,
  table,
} from "./core.js";
import { arrayIn } from "./data.js";
import { decisionsSection } from "./decisions.js";
import type { Page } from "./page.js";

/** A money value from a field that holds { amount, currency }, or minor units with the currency given beside. */
export function toMoney(value: unknown, currency: unknown): Money | null {
  if (isMoney(value)) return value;
  if (isInt(value) && isStr(currency)) return { amount: value, currency };
  return null;
}

const AGE_COLUMNS = ["current", "1-30", "31-60", "61-90", "91-120", "over-120"] as const;

/**
 * GET /receivables/aging as documented, per customer with its buckets (the
 * amounts themselves are shown as "—" when not integers: money() checks them).
 */
const isAgingReport = (body: unknown): body is AgingReportView =>
  isObj(body) &&
  isStr(body.currency) &&
  isInt(body.total) &&
  isInt(body.unapplied) &&
  isObj(body.buckets) &&
  AGE_COLUMNS.every((column) => isObj(body.buckets) && isInt(body.buckets[column])) &&
  Array.isArray(body.customers) &&
  body.customers.every((line) => isObj(line) && isStr(line.customer) && isObj(line.buckets));

interface Bucket {
  label: string;
  money: Money;
}

/**
 * The aged balance as [{ label, money }], one per age bucket, then the
 * "unapplied" column (unapplied payments and credit notes, negative): never
 * netted into a bucket.
 */
function agingBuckets(report: AgingReportView): Bucket[] {
  const money = (amount: number) => ({ amount, currency: report.currency });
  return [
    ...AGE_COLUMNS.map((label) => ({ label, money: money(report.buckets[label]) })),
    { label: "unapplied", money: money(report.unapplied) },
  ];
}

/**
 * The aged balance per customer, then the totals: the age buckets, the
 * unapplied column (never netted into a bucket) and the total, which is the
 * receivable balance. Null when the route gives no customers.
 */
function agingTable(body: unknown): HTMLElement | null {
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

const unavailable = (why: string) => h("p", { className: "empty" }, why);

const COMPONENTS = {
  openInvoices: "open invoices",
  unappliedPayments: "unapplied payments",
  shippedNotInvoiced: "shipped, not invoiced",
  counterSales: "counter sales on account",
  openOrders: "approved orders not yet shipped",
} as const;
/** Components a gateway older than the component may leave out (its total never counted them). */
const LATER_COMPONENTS = new Set<string>(["openOrders"]);

/** A customer of GET /customers: what the page shows of it. */
type CustomerLine = Pick<StoredCustomerView, "id" | "name" | "creditLimit">;
const isCustomer = (c: unknown): c is CustomerLine =>
  isObj(c) &&
  isStr(c.id) &&
  isStr(c.name) &&
  (c.creditLimit === "unlimited" || isMoney(c.creditLimit));

/** GET /credit/:customer as documented, as far as the page reads it. */
const isStatement = (s: unknown): s is CreditStatementView =>
  isObj(s) &&
  isStr(s.currency) &&
  (s.limit === null || isInt(s.limit)) &&
  typeof s.unlimited === "boolean" &&
  isObj(s.exposure) &&
  isInt(s.exposure.total) &&
  Object.keys(COMPONENTS).every((key) => {
    const part = isObj(s.exposure) ? s.exposure[key] : undefined;
    if (part === undefined && LATER_COMPONENTS.has(key)) return true;
    return isObj(part) && isInt(part.amount) && Array.isArray(part.documents);
  }) &&
  (s.available === null || isInt(s.available)) &&
  isObj(s.overdue) &&
  isInt(s.overdue.amount) &&
  isStr(s.status);

/** The exposure itemised, as business rules ask: each component and the documents behind it. */
function itemised(credit: CreditStatementView): HTMLElement {
  const parts = (Object.keys(COMPONENTS) as (keyof typeof COMPONENTS)[])
    .map((key) => [key, credit.exposure[key]] as const)
    .filter(([, part]) => part !== undefined);
  return h(
    "details",
    {},
    h("summary", {}, "itemised"),
    h(
      "dl",
      { className: "kv" },
      parts.flatMap(([key, part]) => [
        h("dt", {}, COMPONENTS[key]),
        h(
          "dd",
          {},
          money(part.amount, credit.currency),
          part.documents.length
            ? h(
                "div",
                { className: "sub" },
                part.documents
                  .slice(0, 10)
                  .map((d) => `${d.kind} ${d.id} ${money(d.amount, credit.currency)}`)
                  .join(" · "),
              )
            : null,
        ),
      ]),
    ),
  );
}

const STATUS_TONE: Readonly<Record<CreditStatementView["status"], string>> = {
  ok: "ok",
  warn: "warn",
  blocked: "bad",
  "on-hold": "bad",
};

/** A customer's line: its credit statement's figures, or its own limit only when the role may not read credit. */
function customerRow(customer: CustomerLine, credit: CreditStatementView | null): HTMLElement {
  const inCurrency = (amount: number | null) =>
    credit && amount !== null ? { amount, currency: credit.currency } : null;
  const exposure = credit ? inCurrency(credit.exposure.total) : null;
  const unlimited = credit ? credit.unlimited : customer.creditLimit === "unlimited";
  const limit = unlimited
    ? null
    : credit
      ? inCurrency(credit.limit)
      : customer.creditLimit === "unlimited"
        ? null
        : customer.creditLimit;
  const overdue = credit ? inCurrency(credit.overdue.amount) : null;
  const share =
    limit && exposure && limit.amount > 0 ? Math.min(1, exposure.amount / limit.amount) : 0;
  return h(
    "tr",
    { dataset: { customer: customer.id } },
    h(
      "td",
      {},
      h("b", {}, customer.name || customer.id),
      h("div", { className: "sub" }, customer.id),
    ),
    h(
      "td",
      { className: "num exposure" },
      exposure ? fmtMoney(exposure) : "—",
      credit ? itemised(credit) : null,
    ),
    h("td", { className: "num" }, unlimited ? "unlimited" : limit ? fmtMoney(limit) : "—"),
    h("td", { className: "num" }, fmtMoney(credit ? inCurrency(credit.available) : null)),
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
    h(
      "td",
      {},
      h(
        "span",
        { className: "badge", dataset: { tone: credit ? STATUS_TONE[credit.status] : "" } },
        credit ? credit.status : "—",
      ),
    ),
  );
}

async function customersByExposure(): Promise<HTMLElement> {
  const list = await optional("/customers");
  if (!list.ok) return unavailable(list.why);
  const customers = arrayIn(list.data, "customers").filter(isCustomer).slice(0, 200);
  const answers = await Promise.all(
    customers.map((c) => optional(`/credit/${encodeURIComponent(c.id)}`)),
  );
  const refused = answers[0];
  if (refused && !refused.ok && answers.every((c) => !c.ok))
    return unavailable(`credit per customer: ${refused.why}`);
  const rows = customers
    .map((customer, i) => {
      const answer = answers[i];
      const credit = answer?.ok && isStatement(answer.data) ? answer.data : null;
      return { customer, credit, exposure: credit ? credit.exposure.total : -1 };
    })
    .sort((a, b) => b.exposure - a.exposure);
  return table(
    ["Customer", "Exposure ", "Limit ", "Available ", "Overdue ", "Used", "Status"],
    rows.map((r) => customerRow(r.customer, r.credit)),
    "no customer yet",
  );
}

const AGING_TONES = ["", "", "late", "late", "later", "later"];

async function agedBalance(): Promise<HTMLElement> {
  const aging = await optional("/receivables/aging");
  if (!aging.ok) return unavailable(aging.why);
  if (!isAgingReport(aging.data)) return h("div", {}, describe(aging.data));
  const report = aging.data;
  return h(
    "div",
    {},
    h(
      "p",
      {},
      h("span", { className: "figure" }, money(report.total, report.currency)),
      h("span", { className: "sub" }, " receivable"),
    ),
    bars(
      agingBuckets(report).map((b, i) => ({
        label: b.label,
        value: b.money.amount,
        text: fmtMoney(b.money),
        tone: b.label === "unapplied" ? "" : AGING_TONES[i] || "later",
      })),
      { label: "aged balance" },
    ),
    agingTable(report),
  );
}

const days = (v: unknown) => (typeof v === "number" ? (Math.round(v * 100) / 100).toString() : "—");

/** GET /receivables/dso as documented, as far as the page reads it. */
const isDso = (body: unknown): body is DsoReportView =>
  isObj(body) &&
  isStr(body.period) &&
  isStr(body.currency) &&
  isInt(body.receivables) &&
  isInt(body.sales) &&
  (body.accounting === null || typeof body.accounting === "number") &&
  typeof body.countback === "number";

async function dso(): Promise<Node | string> {
  const result = await optional("/receivables/dso");
  if (!result.ok) return unavailable(result.why);
  const body = result.data;
  if (!isDso(body)) return describe(body);
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
        `period ${body.period}`,
        `receivables ${money(body.receivables, body.currency)}`,
        `sales ${money(body.sales, body.currency)}`,
      ].join(" · "),
    ),
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
    };
    const decisions = decisionsSection();
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
        ),
      ),
      h("section", { className: "card" }, h("h2", {}, "Credit decisions"), decisions.root),
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
    // The feed's decisions go on top as they come; the history is asked on mount and per filter.
    this.refresh = () => {
      decisions.redraw();
      if (!loading)
        loading = load().finally(() => {
          loading = null;
        });
    };
    for (const part of Object.values(parts))
      part.append(h("p", { className: "empty" }, "loading…"));
    decisions.reload();
    this.refresh();
  },
};

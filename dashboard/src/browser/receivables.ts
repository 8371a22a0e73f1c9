/**
 * The Credit and receivables page: customers by exposure, blocked attempts at
 * the counters, the aged balance, DSO and the dunning queue. Each part says
 * so plainly when the gateway does not offer its route or the role may not
 * see it. Customers, credit statements, the aged balance and DSO are read as
 * contracts documents them (type guards on its types); an answer of another
 * shape, and the dunning letters, are shown as they came.
 */
import type { AgingReportView, DsoReportView } from "@comptoir/contracts";
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
import { customersByExposure } from "./credit-customers.js";
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
function agingTable(body: unknown, names: ReadonlyMap<string, string>): HTMLElement | null {
  if (!isAgingReport(body)) return null;
  const cells = (line: Pick<AgingReportView, "buckets" | "unapplied" | "total">) =>
    [...AGE_COLUMNS.map((column) => line.buckets[column]), line.unapplied, line.total].map(
      (amount) => h("td", { className: "num" }, money(amount, body.currency)),
    );
  const rows = body.customers.map((line) =>
    h(
      "tr",
      { dataset: { agingCustomer: line.customer } },
      h("td", { title: line.customer }, names.get(line.customer) ?? line.customer),
      cells(line),
    ),
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

/** Heat rising with age: not yet due is neutral, then warmer bucket by bucket. */
const AGING_TONES = ["current", "age-1", "age-2", "age-3", "age-4", "age-5"];

/**
 * The aged balance: its total and buckets for the side column, and the table
 * per customer, which has a card of its own across the page (seven money
 * columns do not fit beside the customers' table).
 */
async function agedBalance(): Promise<{ summary: HTMLElement; perCustomer: HTMLElement }> {
  const [aging, customers] = await Promise.all([
    optional("/receivables/aging"),
    optional("/customers"),
  ]);
  if (!aging.ok) return { summary: unavailable(aging.why), perCustomer: unavailable(aging.why) };
  // Each customer by name (its id on hover), as the customers' table names it.
  const names = new Map<string, string>();
  for (const c of customers.ok ? arrayIn(customers.data, "customers") : [])
    if (isObj(c) && isStr(c.id) && isStr(c.name) && c.name) names.set(c.id, c.name);
  if (!isAgingReport(aging.data)) {
    return { summary: h("div", {}, describe(aging.data)), perCustomer: h("div") };
  }
  const report = aging.data;
  const summary = h(
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
        tone: AGING_TONES[i] ?? "unapplied",
      })),
      { label: "aged balance" },
    ),
  );
  const perCustomer = agingTable(report, names) ?? h("div");
  return { summary, perCustomer };
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

/** The month before `period` (YYYY-MM). */
function monthBefore(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, month - 2, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}
/** How many months back the page looks for one with sales, when the last one had none. */
const DSO_LOOKBACK = 6;

async function dso(): Promise<Node | string> {
  const result = await optional("/receivables/dso");
  if (!result.ok) return unavailable(result.why);
  const asked = result.data;
  if (!isDso(asked)) return describe(asked);
  // DSO divides by the month's sales: a month without any has none. Show the last month that had some.
  let body = asked;
  for (let i = 0; i < DSO_LOOKBACK && body.sales === 0; i++) {
    const earlier = await optional(`/receivables/dso?period=${monthBefore(body.period)}`);
    if (!earlier.ok || !isDso(earlier.data)) break;
    body = earlier.data;
  }
  const noSales = `no sales in ${asked.period}, so no DSO for it`;
  if (body.sales === 0)
    return h(
      "p",
      { className: "empty", dataset: { dso: "no-sales" } },
      `${noSales}, nor in the ${DSO_LOOKBACK} months before`,
    );
  return h(
    "div",
    { dataset: { dso: body.period } },
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
    body === asked
      ? null
      : h("p", { className: "sub" }, `${noSales}: the last month with sales is shown`),
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
      agingPerCustomer: h("div"),
      dso: h("div"),
      dunning: h("div"),
    };
    const decisions = decisionsSection();
    // The customers whose exposure is itemised: they stay open across reloads.
    const itemisedOpen = new Set<string>();
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
      h(
        "section",
        { className: "card" },
        h("h2", {}, "Aged balance per customer"),
        parts.agingPerCustomer,
      ),
      h("section", { className: "card" }, h("h2", {}, "Credit decisions"), decisions.root),
      h("section", { className: "card" }, h("h2", {}, "Dunning queue"), parts.dunning),
    );
    let loading: Promise<void> | null = null;
    const load = async () => {
      const [customers, aging, figures, queue] = await Promise.all([
        customersByExposure(itemisedOpen),
        agedBalance(),
        dso(),
        dunning(),
      ]);
      parts.customers.replaceChildren(customers);
      parts.aging.replaceChildren(aging.summary);
      parts.agingPerCustomer.replaceChildren(aging.perCustomer);
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

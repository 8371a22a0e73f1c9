/**
 * Credit page: customers by exposure. Each line has the customer's credit
 * statement (GET /credit/:customer) — exposure, limit, available, overdue,
 * how much of the limit is used, status — and opens its exposure itemised
 * (each component and the documents behind it) in a full-width row below.
 */
import type { CreditStatementView, StoredCustomerView } from "@comptoir/contracts";
import { fmtMoney, h, isInt, isMoney, isObj, isStr, money, optional, table } from "./core.js";
import { arrayIn } from "./data.js";

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

/** The exposure itemised, as business rules ask: each component and every document behind it. */
function itemised(credit: CreditStatementView): HTMLElement {
  const parts = (Object.keys(COMPONENTS) as (keyof typeof COMPONENTS)[])
    .map((key) => [key, credit.exposure[key]] as const)
    .filter(([, part]) => part !== undefined);
  return h(
    "dl",
    { className: "kv itemised" },
    parts.flatMap(([key, part]) => [
      h("dt", {}, COMPONENTS[key]),
      h(
        "dd",
        {},
        h("b", {}, money(part.amount, credit.currency)),
        part.documents.length
          ? h(
              "ul",
              { className: "documents" },
              part.documents.map((d) =>
                h(
                  "li",
                  {},
                  `${d.kind} `,
                  h("span", { className: "nowrap" }, d.id),
                  " ",
                  h("span", { className: "nowrap" }, money(d.amount, credit.currency)),
                ),
              ),
            )
          : null,
      ),
    ]),
  );
}

const STATUS_TONE: Readonly<Record<CreditStatementView["status"], string>> = {
  ok: "ok",
  warn: "warn",
  blocked: "bad",
  "on-hold": "bad",
};

/** A customer's line: its credit statement's figures, or its own limit only when the role may not read credit. */
function customerRow(
  customer: CustomerLine,
  credit: CreditStatementView | null,
  expanded: boolean,
  toggle: (() => void) | null,
): HTMLElement {
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
      toggle
        ? h(
            "div",
            {},
            h(
              "button",
              {
                type: "button",
                className: "link itemise",
                "aria-expanded": String(expanded),
                onclick: toggle,
              },
              `${expanded ? "▾" : "▸"} itemised`,
            ),
          )
        : null,
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

const HEADERS = ["Customer", "Exposure ", "Limit ", "Available ", "Overdue ", "Used", "Status"];

/**
 * The customers, most exposed first, each with its credit figures; a
 * customer's "itemised" opens its exposure in a row of its own below. `open`
 * holds the customers opened, so that a redraw keeps them open.
 */
export async function customersByExposure(open: Set<string>): Promise<HTMLElement> {
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
  const holder = h("div");
  const draw = () =>
    holder.replaceChildren(
      table(
        HEADERS,
        rows.flatMap(({ customer, credit }) => {
          const expanded = open.has(customer.id);
          const toggle = () => {
            if (open.has(customer.id)) open.delete(customer.id);
            else open.add(customer.id);
            draw();
          };
          const row = customerRow(customer, credit, expanded, credit ? toggle : null);
          if (!credit || !expanded) return [row];
          // The itemised exposure below the customer, the width of the table: every column stays.
          return [
            row,
            h(
              "tr",
              { className: "itemised", dataset: { itemised: customer.id } },
              h("td", { colspan: HEADERS.length, className: "below-row" }, itemised(credit)),
            ),
          ];
        }),
        "no customer yet",
      ),
    );
  draw();
  return holder;
}

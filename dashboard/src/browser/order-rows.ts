/**
 * The Orders page's rows: a held order with its itemised reasons, what would
 * release it and the actions the role may take; another order with its state
 * and what has left; each with its history from the gateway ledger.
 */
import { type Child, h, money, num, time } from "./core.js";
import { can } from "./data.js";
import { ORDER_STATE_WORDS, type Order, type OrderList, type Reason } from "./orders-data.js";

/** The permissions behind the actions (the gateway's role matrix): the page shows a button only to a role that holds it. */
const ORDER_PERMISSIONS = {
  release: "orders:release",
  cancel: "orders:write",
} as const;

/** Reasons a payment cannot lift: the customer has no credit, or is on hold. */
const NOT_BY_PAYMENT = new Set(["no-credit", "on-hold"]);

/** A date of the order ("2026-03-20") as it came: a calendar day, not a moment. */
const day = (iso: string) => iso.slice(0, 10);

/** The reasons as a list, each overdue invoice it counts named with its open amount and days late. */
function reasonList(order: Order): HTMLElement {
  const blocking = order.credit.reasons.filter((r) => r.code !== "warn-band");
  return h(
    "ul",
    { className: "list reasons" },
    blocking.map((reason) =>
      h(
        "li",
        { dataset: { code: reason.code } },
        reason.message,
        reason.items?.length
          ? h(
              "ul",
              { className: "items" },
              reason.items.map((item) =>
                h(
                  "li",
                  { dataset: { invoice: item.invoice } },
                  h("b", {}, item.invoice),
                  ` ${money(item.open, order.currency)} · ${num(item.daysOverdue)} days overdue`,
                ),
              ),
            )
          : null,
      ),
    ),
  );
}

/** What would release a held order: the payment, or why no payment can. */
function toReleaseText(order: Order): string {
  const amount = order.credit.toRelease;
  if (amount !== null)
    return amount > 0
      ? `pay ${money(amount, order.currency)} to release`
      : "releases with the next change of the customer's figures";
  const why = order.credit.reasons
    .filter((r: Reason) => NOT_BY_PAYMENT.has(r.code))
    .map((r) => r.message);
  return `cannot be released by a payment: ${why.length ? why.join("; ") : "see the reasons"}`;
}

/** The order's number, and its life from the gateway ledger: who moved it, why, and the exposure around an override. */
function orderCell(order: Order): HTMLElement {
  const exposure = (step: Order["history"][number]) =>
    step.exposureBefore !== undefined && step.exposureAfter !== undefined
      ? h(
          "div",
          { className: "sub" },
          `exposure ${money(step.exposureBefore, order.currency)} → ${money(step.exposureAfter, order.currency)}`,
        )
      : null;
  return h(
    "td",
    { className: "nowrap" },
    h("b", {}, order.number),
    order.history.length
      ? h(
          "details",
          { className: "history" },
          h("summary", {}, "history"),
          h(
            "ul",
            { className: "list" },
            order.history.map((step) =>
              h(
                "li",
                { dataset: { state: step.state } },
                h("b", {}, ORDER_STATE_WORDS[step.state]),
                ` · ${time(step.at)} · ${step.by}`,
                step.reason ? h("div", {}, step.reason) : null,
                exposure(step),
              ),
            ),
          ),
        )
      : null,
  );
}

function customerCell(order: Order): HTMLElement {
  return h(
    "td",
    {},
    h("b", {}, order.customerName || order.customer),
    h("div", { className: "sub" }, order.customer),
  );
}

const STATE_TONE: Readonly<Record<Order["state"], string>> = {
  approved: "ok",
  held: "bad",
  released: "ok",
  "partially-shipped": "warn",
  shipped: "",
  invoiced: "",
  cancelled: "",
};

const stateBadge = (order: Order) =>
  h(
    "span",
    { className: "badge", dataset: { tone: STATE_TONE[order.state] } },
    ORDER_STATE_WORDS[order.state],
  );

/** "3 / 10": units seen leaving of those ordered. */
function shippedText(order: Order): string {
  const ordered = order.lines.reduce((sum, l) => sum + l.quantity, 0);
  const shipped = order.lines.reduce((sum, l) => sum + Math.min(l.shipped, l.quantity), 0);
  return `${num(shipped)} / ${num(ordered)}`;
}

export type Act = (order: Order, action: "release" | "cancel") => void;

/** The quiet "Cancel…" of a row; the action asks for a reason first. */
const cancelButton = (order: Order, act: Act) =>
  h(
    "button",
    {
      type: "button",
      className: "quiet",
      dataset: { action: "cancel" },
      onclick: () => act(order, "cancel"),
    },
    "Cancel…",
  );

export function heldRow(order: Order, act: Act): HTMLElement {
  const actions: Child[] = [];
  if (can(ORDER_PERMISSIONS.release))
    actions.push(
      h(
        "button",
        { type: "button", dataset: { action: "release" }, onclick: () => act(order, "release") },
        "Release…",
      ),
    );
  if (can(ORDER_PERMISSIONS.cancel)) actions.push(cancelButton(order, act));
  return h(
    "tr",
    { dataset: { order: order.number, state: order.state } },
    orderCell(order),
    customerCell(order),
    h("td", { className: "num" }, money(order.total, order.currency)),
    h("td", { className: "nowrap" }, day(order.orderDate)),
    h("td", { className: "nowrap" }, day(order.requestedShipDate)),
    h("td", {}, reasonList(order)),
    h("td", { className: "to-release" }, toReleaseText(order)),
    h("td", { className: "nowrap actions" }, actions),
  );
}

export function otherRow(order: Order, act: Act): HTMLElement {
  const cancellable = order.state === "approved" || order.state === "released";
  return h(
    "tr",
    { dataset: { order: order.number, state: order.state } },
    orderCell(order),
    customerCell(order),
    h("td", {}, stateBadge(order)),
    h("td", { className: "num" }, money(order.total, order.currency)),
    h("td", { className: "nowrap" }, day(order.orderDate)),
    h("td", { className: "nowrap" }, day(order.requestedShipDate)),
    h("td", { className: "num shipped" }, shippedText(order)),
    h(
      "td",
      { className: "nowrap actions" },
      cancellable && can(ORDER_PERMISSIONS.cancel) ? cancelButton(order, act) : null,
    ),
  );
}

/** The counts per state, held first. */
export function countPills(list: OrderList): HTMLElement {
  const states = Object.keys(ORDER_STATE_WORDS) as Order["state"][];
  return h(
    "div",
    { className: "pills", id: "order-counts" },
    states
      .filter((state) => state === "held" || (list.counts[state] ?? 0) > 0)
      .map((state) =>
        h(
          "span",
          {
            className: "pill",
            dataset: { state, tone: state === "held" && (list.counts.held ?? 0) > 0 ? "bad" : "" },
          },
          h("b", {}, num(list.counts[state] ?? 0)),
          ORDER_STATE_WORDS[state],
        ),
      ),
  );
}

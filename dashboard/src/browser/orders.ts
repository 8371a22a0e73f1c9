/**
 * The Orders page: sales orders as the gateway decided them. Held orders
 * come first, each with its customer, total, dates, the hold's reasons
 * (itemised: the overdue invoices named), what would release it, and the
 * actions the role may take: a credit manager's override (a mandatory
 * reason) and cancel. Then the other orders with their state and what has
 * left. An "order" event of the live feed has the list asked again, so the
 * page follows releases, shipments and cancellations without a reload.
 */
import { api, type Child, h, money, num, optional, say, serial, table, time } from "./core.js";
import { can, data } from "./data.js";
import {
  ORDER_STATE_WORDS,
  type Order,
  type OrderList,
  orderList,
  type Reason,
} from "./orders-data.js";
import type { Page } from "./page.js";
import { askReason } from "./reason-dialog.js";

/** The permissions behind the actions (the gateway's role matrix): the page shows a button only to a role that holds it. */
export const ORDER_PERMISSIONS = {
  read: "orders:read",
  release: "orders:release",
  cancel: "orders:write",
} as const;

/** The live alert the gateway raises when goods tagged for a held, cancelled or unknown order leave. */
const HOLD_BREACH = "hold-breach";

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

type Act = (order: Order, action: "release" | "cancel") => void;

function heldRow(order: Order, act: Act): HTMLElement {
  const actions: Child[] = [];
  if (can(ORDER_PERMISSIONS.release))
    actions.push(
      h(
        "button",
        { type: "button", dataset: { action: "release" }, onclick: () => act(order, "release") },
        "Release…",
      ),
    );
  if (can(ORDER_PERMISSIONS.cancel))
    actions.push(
      h(
        "button",
        {
          type: "button",
          className: "quiet",
          dataset: { action: "cancel" },
          onclick: () => act(order, "cancel"),
        },
        "Cancel…",
      ),
    );
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

function otherRow(order: Order, act: Act): HTMLElement {
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
      cancellable && can(ORDER_PERMISSIONS.cancel)
        ? h(
            "button",
            {
              type: "button",
              className: "quiet",
              dataset: { action: "cancel" },
              onclick: () => act(order, "cancel"),
            },
            "Cancel…",
          )
        : null,
    ),
  );
}

/** The counts per state, held first. */
function countPills(list: OrderList): HTMLElement {
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

/** The override or the cancellation, through the dialog that asks why. */
function actOn(order: Order, action: "release" | "cancel", done: () => void): void {
  const path = `/orders/${encodeURIComponent(order.number)}/${action}`;
  const about: Child[] = [
    h("p", {}, h("b", {}, order.number), ` · ${order.customerName || order.customer}`),
    h("p", { className: "figure" }, money(order.total, order.currency)),
    action === "release"
      ? h(
          "p",
          { className: "sub" },
          "held because: ",
          order.credit.reasons.map((r) => r.message).join("; "),
        )
      : null,
  ];
  askReason({
    title: action === "release" ? "Release this held order" : "Cancel this order",
    about,
    confirm: action === "release" ? "Release" : "Cancel the order",
    // The gateway's rule for an override: a reason of at least 3 characters.
    minLength: action === "release" ? 3 : 0,
    act: async (reason) => {
      await api(path, { method: "POST", body: reason ? { reason } : {} });
    },
  }).then((succeeded) => {
    if (!succeeded) return;
    say(`${order.number} ${action === "release" ? "released" : "cancelled"}`, "ok");
    done();
  });
}

export const ordersPage: Page = {
  id: "orders",
  title: "Orders",
  topics: ["orders", "alerts"],
  mount(root) {
    const parts = {
      breaches: h("div", { id: "hold-breaches" }),
      counts: h("div"),
      held: h("div", { id: "held-orders" }, h("p", { className: "empty" }, "loading…")),
      others: h("div", { id: "other-orders" }, h("p", { className: "empty" }, "loading…")),
    };
    // One customer's orders, or everyone's (the counts stay the site's).
    let customer = "";
    const customerInput = h("input", {
      name: "customer",
      placeholder: "customer id",
      "aria-label": "customer",
      size: 14,
    });
    const filters = h(
      "form",
      { className: "filters", id: "order-filters" },
      customerInput,
      h("button", { type: "submit", className: "quiet" }, "Show"),
    );
    filters.addEventListener("submit", (event) => {
      event.preventDefault();
      customer = customerInput.value.trim();
      load();
    });
    root.append(
      h("h1", {}, "Orders"),
      parts.breaches,
      parts.counts,
      filters,
      h("section", { className: "card" }, h("h2", {}, "Held for credit"), parts.held),
      h("section", { className: "card" }, h("h2", {}, "Other orders"), parts.others),
    );
    // One request at a time; a change during one asks once more after it.
    const load = serial(async () => {
      const result = await optional(
        customer ? `/orders?customer=${encodeURIComponent(customer)}` : "/orders",
      );
      const list = result.ok ? orderList(result.data) : null;
      if (list) render(list);
      else {
        const why = result.ok ? "the gateway answered something unexpected" : result.why;
        parts.held.replaceChildren(h("p", { className: "empty" }, why));
        parts.others.replaceChildren();
      }
    });
    const act: Act = (order, action) => actOn(order, action, load);
    const render = (list: OrderList) => {
      const held = list.orders.filter((o) => o.state === "held");
      const others = list.orders.filter((o) => o.state !== "held");
      parts.counts.replaceChildren(
        countPills(list),
        list.skipped
          ? h(
              "p",
              { className: "error" },
              `${num(list.skipped)} orders of the answer had an unexpected shape and are not shown`,
            )
          : "",
      );
      parts.held.replaceChildren(
        table(
          ["Order", "Customer", "Total ", "Ordered", "Ship by", "Held because", "To release", ""],
          held.map((o) => heldRow(o, act)),
          "no order is held",
        ),
      );
      parts.others.replaceChildren(
        table(
          ["Order", "Customer", "State", "Total ", "Ordered", "Ship by", "Shipped ", ""],
          others.map((o) => otherRow(o, act)),
          "no other order",
        ),
      );
      const last = data.orderChanges[0];
      if (last)
        parts.counts.append(
          h(
            "p",
            { className: "sub", id: "last-order-change" },
            `last change: ${last.order} ${ORDER_STATE_WORDS[last.state as Order["state"]] ?? last.state} · ${time(last.at)}`,
          ),
        );
    };
    const drawBreaches = () => {
      const breaches = data.alerts.filter((a) => a.code === HOLD_BREACH);
      parts.breaches.replaceChildren(
        breaches.length
          ? h(
              "section",
              { className: "card breach", role: "alert" },
              h("h2", {}, "Goods left under credit hold"),
              h(
                "ul",
                { className: "list" },
                breaches.map((a) =>
                  h(
                    "li",
                    {},
                    h("span", { className: "badge", dataset: { tone: "bad" } }, a.level),
                    " ",
                    a.message,
                    a.at ? h("span", { className: "sub" }, ` · ${time(a.at)}`) : null,
                  ),
                ),
              ),
            )
          : "",
      );
    };
    this.refresh = (topics) => {
      drawBreaches();
      // Goods that left move an order's shipped units (and its state) too.
      if (!topics || topics.has("orders") || data.alerts[0]?.code === HOLD_BREACH) load();
    };
    this.refresh();
  },
};

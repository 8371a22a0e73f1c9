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
import { data } from "./data.js";
import { holdBreaches } from "./hold-breaches.js";
import { type Act, countPills, heldRow, otherRow } from "./order-rows.js";
import { ORDER_STATE_WORDS, type Order, type OrderList, orderList } from "./orders-data.js";
import type { Page } from "./page.js";
import { askReason } from "./reason-dialog.js";

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
    const breaches = holdBreaches();
    const parts = {
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
      breaches.root,
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
      const last = data.lastOrderChange;
      if (last)
        parts.counts.append(
          h(
            "p",
            { className: "sub", id: "last-order-change" },
            `last change: ${last.order} ${ORDER_STATE_WORDS[last.state as Order["state"]] ?? last.state} · ${time(last.at)}`,
          ),
        );
    };
    this.refresh = (topics) => {
      const newBreach = breaches.refresh();
      // Goods that left move an order's shipped units (and its state) too.
      if (!topics || topics.has("orders") || newBreach) load();
    };
    this.refresh();
  },
};

import type { DockOrder, DockOrderRequest } from "@comptoir/contracts";
import { $ } from "@comptoir/contracts/browser";
import { api } from "./api.js";
import { say, sayError } from "./status.js";

/** The dock's order form (`#dock-form`): shows the current order, sets or clears it. */
export function dockForm(onChange?: (dock: DockOrder) => void): void {
  const form = $<HTMLFormElement>("#dock-form");
  const order = $<HTMLInputElement>("#dock-form [name=order]");
  const customer = $<HTMLInputElement>("#dock-form [name=customer]");
  const current = $("#dock-current");
  const show = (dock: DockOrder) => {
    current.textContent = dock.order
      ? dock.order + (dock.customer ? ` for ${dock.customer}` : "")
      : "none";
    onChange?.(dock);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const body: DockOrderRequest = {
        order: order.value.trim() || null,
        customer: customer.value.trim() || null,
      };
      show(await api<DockOrder>("PUT", "/dock/order", body));
      say("dock order set", "ok");
    } catch (error) {
      sayError(error);
    }
  });
  api<DockOrder>("GET", "/dock/order").then(show, sayError);
}

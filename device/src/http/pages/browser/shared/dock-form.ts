import type { DockOrder, DockOrderRequest, DockOrderState } from "@comptoir/contracts";
import { $, clear, h, isObj, isStr, isStrOrNull } from "@comptoir/contracts/browser";
import { ApiError, api } from "./api.js";
import { say, sayError } from "./status.js";

/** The dock's order, and its state when the node knows one, as far as the form reads them (the state's name, the hold's reasons). */
export const isDockOrder = (value: unknown): value is DockOrder =>
  isObj(value) &&
  isStrOrNull(value.order) &&
  isStrOrNull(value.customer) &&
  (value.state === undefined ||
    value.state === null ||
    (isObj(value.state) &&
      isStr(value.state.state) &&
      Array.isArray(value.state.reasons) &&
      value.state.reasons.every((r) => isObj(r) && isStr(r.message))));

/** The node's answer to GET or PUT /dock/order, checked before the form shows it. */
function dockOf(value: unknown): DockOrder {
  if (!isDockOrder(value)) throw new Error("the node answered a dock order of an unexpected shape");
  return value;
}

/** The state's words next to the order; a hold also names its reasons. */
function stateText(state: DockOrderState): string {
  if (state.state === "unknown") return "state unknown to this node";
  const reasons = state.reasons.map((reason) => reason.message).join("; ");
  return state.state.replace("-", " ") + (reasons ? `: ${reasons}` : "");
}

/**
 * The dock's order form (`#dock-form`): shows the current order and what the
 * node knows of its state (`#dock-state`), sets or clears it. A refused
 * order (held, cancelled, or unknown under "refuse") is said in
 * `#dock-refusal` with the hold's reasons. Returns `show`, for the live
 * `dock` event (the state changed while the page was open). On a node
 * without the form (shelf, counter) it does nothing.
 */
export function dockForm(onChange?: (dock: DockOrder) => void): (dock: DockOrder) => void {
  // Only portals and stations set the dock's order: elsewhere the page has no form.
  if (!document.querySelector("#dock-form")) return () => {};
  const form = $<HTMLFormElement>("#dock-form");
  const order = $<HTMLInputElement>("#dock-form [name=order]");
  const customer = $<HTMLInputElement>("#dock-form [name=customer]");
  const current = $("#dock-current");
  const stateLine = $("#dock-state");
  const refusal = $("#dock-refusal");
  const show = (dock: DockOrder) => {
    current.textContent = dock.order
      ? dock.order + (dock.customer ? ` for ${dock.customer}` : "")
      : "none";
    const state = dock.state ?? null;
    stateLine.textContent = state ? stateText(state) : "";
    stateLine.dataset.state = state ? state.state : "";
    onChange?.(dock);
  };
  const refused = (error: ApiError) => {
    const body = error.body?.error;
    clear(
      refusal,
      h("strong", {}, body?.message ?? error.message),
      h("ul", {}, ...(body?.reasons ?? []).map((reason) => h("li", {}, reason.message))),
    );
    refusal.hidden = false;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const body: DockOrderRequest = {
        order: order.value.trim() || null,
        customer: customer.value.trim() || null,
      };
      show(dockOf(await api<unknown>("PUT", "/dock/order", body)));
      refusal.hidden = true;
      say("dock order set", "ok");
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        refused(error);
        say("dock order refused", "error");
      } else sayError(error);
    }
  });
  api<unknown>("GET", "/dock/order").then(dockOf).then(show).catch(sayError);
  return show;
}

import { type DockOrder, DockOrderBody } from "@comptoir/contracts";
import { Hono } from "hono";
import { DockRefusal } from "../../orders/dock.js";
import type { RouteDeps } from "../context.js";
import { Refusal } from "../errors.js";
import { valid } from "../validate.js";

/**
 * The dock's current order and customer, stamped on outbound movements, with
 * what the node knows of the order's state. `order: null` clears it. A held
 * or cancelled order (or one never heard of, under `dock.unknownOrders:
 * refuse`) is refused with 422 and the hold's reasons (issue 15).
 */
export function dockRoutes({ api, log }: RouteDeps) {
  return new Hono()
    .get("/dock/order", (c) => c.json(api.dockView() satisfies DockOrder))
    .put("/dock/order", valid("json", DockOrderBody), (c) => {
      const order = c.req.valid("json");
      try {
        api.setDockOrder(order);
      } catch (error) {
        if (!(error instanceof DockRefusal)) throw error;
        log.info({ order: order.order, code: error.code }, "dock order refused");
        throw new Refusal(error.code, error.message, "order", error.reasons);
      }
      log.info(order, "dock order set from the local API");
      return c.json(api.dockView() satisfies DockOrder);
    });
}

import { type DockOrder, DockOrderBody } from "@comptoir/contracts";
import { Hono } from "hono";
import type { RouteDeps } from "../context.js";
import { valid } from "../validate.js";

/** The dock's current order and customer, stamped on outbound movements. `order: null` clears it. */
export function dockRoutes({ api, log }: RouteDeps) {
  return new Hono()
    .get("/dock/order", (c) => c.json(api.dockOrder() satisfies DockOrder))
    .put("/dock/order", valid("json", DockOrderBody), (c) => {
      const order = c.req.valid("json");
      api.setDockOrder(order);
      log.info(order, "dock order set from the local API");
      return c.json(api.dockOrder() satisfies DockOrder);
    });
}

import { z } from "zod";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";

export function metricsRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/metrics",
      summary:
        "Prometheus text: node chains, stock per zone, gateway ledger, broker, HTTP, process",
      permission: "metrics:read",
      responses: {
        200: {
          description: "Prometheus exposition format",
          schema: z.string(),
          contentType: "text/plain; version=0.0.4",
        },
      },
    },
    async (c) => {
      const text = await deps.registry.metrics();
      return c.body(text, 200, { "Content-Type": deps.registry.contentType });
    },
  );
}

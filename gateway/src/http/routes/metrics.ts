import { Hono } from "hono";
import { z } from "zod";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";

export const metricsDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus text: node chains, stock per zone, gateway ledger, broker, HTTP, process",
    permission: "metrics:read",
    responses: {
      200: {
        description: "Prometheus exposition format",
        schema: z.string(),
        contentType: "text/plain; version=0.0.4",
      },
    },
  },
];

export function metricsRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>().get(
    "/metrics",
    requirePermission(deps.tokens, "metrics:read"),
    async (c) => {
      const text = await deps.registry.metrics();
      return c.body(text, 200, { "Content-Type": deps.registry.contentType });
    },
  );
}

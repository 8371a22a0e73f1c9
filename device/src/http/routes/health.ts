import { Hono } from "hono";
import type { RouteDeps } from "../context.js";

/**
 * `GET /health`: 200 only when every part (ledger, readers, sync) is healthy;
 * 503 naming the failing parts otherwise, so a supervisor or a load balancer
 * can act on it. A health check that throws is itself a failure, not a crash.
 */
export function healthRoutes({ api, log }: RouteDeps) {
  return new Hono().get("/health", (c) => {
    let health: ReturnType<typeof api.health>;
    try {
      health = api.health();
    } catch (error) {
      log.error({ err: error }, "health check failed");
      const message = `health check failed: ${error instanceof Error ? error.message : String(error)}`;
      return c.json({ error: { code: "unhealthy", message, path: "health" } }, 503);
    }
    const failing = Object.entries(health.parts)
      .filter(([, part]) => !part.ok)
      .map(([name, part]) => ({ name, detail: part.detail ?? "not ok" }));
    const body = { node: api.nodeId, role: api.role, parts: health.parts };
    if (health.ok && failing.length === 0) return c.json({ ok: true, ...body }, 200);
    const message =
      failing.length > 0
        ? `unhealthy: ${failing.map((part) => `${part.name} (${part.detail})`).join(", ")}`
        : "unhealthy";
    return c.json(
      {
        ok: false,
        ...body,
        failing: failing.map((part) => part.name),
        error: { code: "unhealthy", message, ...(failing[0] ? { path: failing[0].name } : {}) },
      },
      503,
    );
  });
}

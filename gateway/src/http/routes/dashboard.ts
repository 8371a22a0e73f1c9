import { assetNamed } from "@comptoir/contracts/browser-build";
import {
  DASHBOARD_ASSET_PATH,
  DASHBOARD_CSP,
  DASHBOARD_HTML,
  DASHBOARD_PAGES,
  loadDashboardAssets,
} from "@comptoir/dashboard";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../../auth/tokens.js";
import { HoldBreaches } from "../../orders/hold-breaches.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps } from "../context.js";
import { sendError } from "../errors.js";
import { allows, PERMISSIONS, type Permission } from "../roles.js";

/**
 * Who may see a page whose permission the role matrix does not name (yet):
 * the money pages stay with those who handle money.
 */
const FALLBACK: Record<string, readonly Role[]> = {
  "reconciliation:read": ["admin", "accounting"],
  "receivables:read": ["admin", "accounting"],
};

function holds(role: Role, permission: string): boolean {
  if (permission in PERMISSIONS) return allows(role, permission as Permission);
  return FALLBACK[permission]?.includes(role) ?? false;
}

/**
 * The dashboard at `/`: one HTML shell, its ES modules and stylesheet under
 * /dashboard/assets, and /dashboard/session, which tells the page the role of
 * its token so that it shows only what that role may read. The data itself
 * comes from /api/v1 and /ws with the same token, where each route checks it;
 * /dashboard/credit gives the overview its credit figures in one request: the
 * sum of the customers' exposures as GET /api/v1/credit/:customer computes
 * them, and the customers over their limit now (the current alerts);
 * /dashboard/hold-breaches the goods that left under a credit hold.
 */
export function dashboardRoutes(deps: RouteDeps) {
  // Only on the dashboard's own paths: mounted at "/", a bare use() would reach /api/v1 too.
  const headers = createMiddleware(async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-cache");
  });
  const breaches = new HoldBreaches(deps.store.db);
  return new Hono<GatewayEnv>()
    .use("/", headers)
    .use("/dashboard/*", headers)
    .get("/", (c) => c.html(DASHBOARD_HTML))
    .get("/favicon.ico", (c) => c.body(null, 204))
    .get(`${DASHBOARD_ASSET_PATH}/:name`, async (c) => {
      const name = c.req.param("name");
      // Built once per process (or embedded in the dist build); serve.ts awaits it at start.
      const assets = await loadDashboardAssets();
      // Own keys only: `constructor` or `__proto__` would find Object's and answer 500.
      const asset = assetNamed(assets, name);
      if (!asset) {
        return sendError(c, 404, "not_found", `no dashboard asset ${name}`);
      }
      return c.body(asset.body, 200, { "Content-Type": asset.type });
    })
    .get("/dashboard/session", requirePermission(deps.tokens, "api:read"), (c) => {
      const token = c.get("token");
      const permissions = Object.keys(PERMISSIONS).filter((p) => holds(token.role, p));
      const pages = DASHBOARD_PAGES.filter((page) =>
        page.needs.every((need) => holds(token.role, need)),
      ).map((page) => page.id);
      return c.json({ role: token.role, name: token.name, permissions, pages });
    })
    .get("/dashboard/credit", requirePermission(deps.tokens, "credit:read"), (c) =>
      c.json(deps.credit.overview()),
    )
    .get("/dashboard/hold-breaches", requirePermission(deps.tokens, "orders:read"), (c) =>
      c.json({ breaches: breaches.recent() }),
    );
}

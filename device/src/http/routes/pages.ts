import { assetNamed, PAGE_CSP } from "@comptoir/contracts/browser-build";
import { Hono } from "hono";
import type { RouteDeps } from "../context.js";
import { loadNodePageAssets } from "../pages/bundle.js";
import { STATION_HTML, WAREHOUSE_HTML } from "../pages/html.js";

/**
 * The node's pages: plain HTML shells, and their scripts and stylesheet under
 * `/assets/`, bundled from pages/browser (see pages/bundle.ts).
 */
export function pageRoutes({ api }: RouteDeps) {
  return new Hono()
    .use(async (c, next) => {
      await next();
      c.header("Content-Security-Policy", PAGE_CSP);
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "no-cache");
    })
    .get("/", (c) => c.redirect(api.role === "station" ? "/station" : "/warehouse"))
    .get("/warehouse", (c) => c.html(WAREHOUSE_HTML))
    .get("/station", (c) => c.html(STATION_HTML))
    .get("/favicon.ico", (c) => c.body(null, 204))
    .get("/assets/:name", async (c) => {
      const asset = assetNamed(await loadNodePageAssets(), c.req.param("name"));
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, { "Content-Type": asset.type });
    });
}

import { assetNamed, PAGE_CSP } from "@comptoir/contracts/browser-build";
import { Hono } from "hono";
import type { RouteDeps } from "../context.js";
import { loadNodePageAssets } from "../pages/bundle.js";
import { stationHtml, warehouseHtml } from "../pages/html.js";

/**
 * The node's pages: plain HTML shells, and their scripts and stylesheet under
 * `/assets/`, bundled from pages/browser (see pages/bundle.ts). `/` is the
 * page the node's role works from: the POS on a counter that serves it
 * (`pos`), the station page on a station, the warehouse page elsewhere.
 */
export function pageRoutes({ api }: RouteDeps, { pos }: { pos: boolean }) {
  const setting = { role: api.role, pos };
  const warehouse = warehouseHtml(setting);
  const station = stationHtml(setting);
  const home = pos ? "/pos" : api.role === "station" ? "/station" : "/warehouse";
  return new Hono()
    .use(async (c, next) => {
      await next();
      c.header("Content-Security-Policy", PAGE_CSP);
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "no-cache");
    })
    .get("/", (c) => c.redirect(home))
    .get("/warehouse", (c) => c.html(warehouse))
    .get("/station", (c) => c.html(station))
    .get("/favicon.ico", (c) => c.body(null, 204))
    .get("/assets/:name", async (c) => {
      const asset = assetNamed(await loadNodePageAssets(), c.req.param("name"));
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, { "Content-Type": asset.type });
    });
}

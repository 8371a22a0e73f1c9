import { Hono } from "hono";
import type { RouteDeps } from "../context.js";
import { COMMON_JS } from "../pages/common-js.js";
import { STATION_HTML, WAREHOUSE_HTML } from "../pages/html.js";
import { STATION_JS } from "../pages/station-js.js";
import { STYLE_CSS } from "../pages/style-css.js";
import { WAREHOUSE_JS } from "../pages/warehouse-js.js";

/** Only this node's own scripts, styles and API: no inline script, no third party. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const ASSETS: Record<string, { body: string; type: string }> = {
  "common.js": { body: COMMON_JS, type: "text/javascript; charset=utf-8" },
  "warehouse.js": { body: WAREHOUSE_JS, type: "text/javascript; charset=utf-8" },
  "station.js": { body: STATION_JS, type: "text/javascript; charset=utf-8" },
  "style.css": { body: STYLE_CSS, type: "text/css; charset=utf-8" },
};

/** The node's pages: plain HTML shells and small ES modules, no build step. */
export function pageRoutes({ api }: RouteDeps) {
  return new Hono()
    .use(async (c, next) => {
      await next();
      c.header("Content-Security-Policy", CSP);
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "no-cache");
    })
    .get("/", (c) => c.redirect(api.role === "station" ? "/station" : "/warehouse"))
    .get("/warehouse", (c) => c.html(WAREHOUSE_HTML))
    .get("/station", (c) => c.html(STATION_HTML))
    .get("/favicon.ico", (c) => c.body(null, 204))
    .get("/assets/:name", (c) => {
      const asset = ASSETS[c.req.param("name")];
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, { "Content-Type": asset.type });
    });
}

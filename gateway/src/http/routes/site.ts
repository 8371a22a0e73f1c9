import { SiteFormatSchema } from "@comptoir/contracts";
import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";

/**
 * `GET /site`: how the site writes money and dates (locale, currency, time
 * zone), for the dashboard and the command line. No token: it names no
 * customer, amount or item, and the sign-in screen may format with it too.
 */
export function siteRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/site",
      summary:
        "the site's locale (BCP 47), currency (ISO 4217) and, when set, time zone: how pages write money and dates (no token)",
      permission: null,
      responses: { 200: { description: "the site's formats", schema: SiteFormatSchema } },
    },
    (c) => c.json(SiteFormatSchema.parse(deps.site)),
  );
}

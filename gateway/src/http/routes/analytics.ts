import type { RouteDeps } from "../context.js";
import { RouteGroup } from "../route-group.js";

/** PLACEHOLDER: its helper replaces this file. */
export function analyticsRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens);
}

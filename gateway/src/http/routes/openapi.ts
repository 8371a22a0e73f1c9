import type { TokenStore } from "../../auth/tokens.js";

import { openApiDocument } from "../openapi.js";
import { type RouteDefinition, RouteGroup } from "../route-group.js";

/**
 * `GET /openapi.json`: the document of every operation of `groups`, and of
 * itself. No token: it describes the API and holds no data (the demo points
 * a newcomer to it before any token is at hand).
 */
export function openApiRoutes(
  tokens: TokenStore,
  groups: readonly RouteGroup[],
  version: string,
): RouteGroup {
  const self: RouteDefinition = {
    method: "get",
    path: "/openapi.json",
    summary: "this document",
    permission: null,
    responses: { 200: { description: "OpenAPI 3.1" } },
  };
  // Built once, at start: a schema the converter cannot take fails the gateway's start, not a request.
  const document = openApiDocument([...groups.flatMap((group) => group.docs), self], version);
  return new RouteGroup(tokens).route(self, (c) => c.json(document));
}

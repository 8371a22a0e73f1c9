import { SkuSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { MovementCursorSchema, movementPage } from "../../store/movement-pages.js";
import type { RouteDeps } from "../context.js";
import { beforeCursor, encodePageCursor } from "../page-cursor.js";
import { RouteGroup } from "../route-group.js";
import { MovementSchema, TimeInput } from "../schemas.js";

export const MovementsQuery = z.strictObject({
  since: TimeInput.optional().describe("received at or after this time"),
  node: TopicIdSchema.optional(),
  sku: SkuSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: beforeCursor(MovementCursorSchema),
});

const MovementsSchema = z.strictObject({
  movements: z.array(MovementSchema),
  next: z
    .string()
    .nullable()
    .describe("pass as `before` for the next (older) page; null at the end"),
});

export function movementRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/movements",
      summary: "movements, newest first (by the gateway's receive time), paged",
      permission: "movements:read",
      query: MovementsQuery,
      responses: { 200: { description: "a page of movements", schema: MovementsSchema } },
      errors: [400],
    },
    (c) => {
      const { since, node, sku, limit, before } = c.req.valid("query");
      const page = movementPage(deps.store.db, {
        limit,
        ...(since ? { since: since.toISOString() } : {}),
        ...(node ? { node } : {}),
        ...(sku ? { sku } : {}),
        ...(before ? { after: before } : {}),
      });
      return c.json({
        movements: page.movements,
        next: page.next ? encodePageCursor(page.next) : null,
      });
    },
  );
}

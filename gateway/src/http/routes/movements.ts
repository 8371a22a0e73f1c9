import {
  GtinSchema,
  MOVEMENT_KINDS,
  MovementEventSchema,
  SkuSchema,
  TopicIdSchema,
  ZoneSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { EVENT_SCAN, movementEvents } from "../../store/movement-events.js";
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

export const MovementEventsQuery = z.strictObject({
  since: TimeInput.optional().describe("received at or after this time"),
  node: TopicIdSchema.optional(),
  sku: SkuSchema.optional(),
  gtin: GtinSchema.optional().describe("items of this GTIN (a product's, or one no product has)"),
  kind: z.enum(MOVEMENT_KINDS).optional(),
  zone: ZoneSchema.optional().describe("moved from or to this zone"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const MovementEventsSchema = z.strictObject({
  events: z.array(MovementEventSchema),
  complete: z
    .boolean()
    .describe(`false: more than ${EVENT_SCAN} movements matched and the oldest were not read`),
});

export function movementRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens)
    .route(
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
    )
    .route(
      {
        method: "get",
        path: "/movements/events",
        summary: `movement events, newest first: the movements of one node, kind, product, zones and order observed together (a pallet through a portal, a basket at a counter), each with its EPCs; made from the newest ${EVENT_SCAN} matching movements`,
        permission: "movements:read",
        query: MovementEventsQuery,
        responses: { 200: { description: "the newest events", schema: MovementEventsSchema } },
        errors: [400],
      },
      (c) => {
        const { since, node, sku, gtin, kind, zone, limit } = c.req.valid("query");
        const { events, complete } = movementEvents(deps.store.db, {
          limit,
          ...(since ? { since: since.toISOString() } : {}),
          ...(node ? { node } : {}),
          ...(sku ? { sku } : {}),
          ...(gtin ? { gtin } : {}),
          ...(kind ? { kind } : {}),
          ...(zone ? { zone } : {}),
        });
        const names = new Map<string, string | null>();
        const nameOf = (sku: string | null) => {
          if (sku === null) return null;
          if (!names.has(sku)) names.set(sku, deps.catalog.nameOf(sku) ?? null);
          return names.get(sku) ?? null;
        };
        return c.json({
          events: events.map((event) => ({ ...event, name: nameOf(event.sku) })),
          complete,
        });
      },
    );
}

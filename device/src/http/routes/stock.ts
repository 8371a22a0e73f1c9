import {
  type NodeInfo,
  type NodeRead,
  type NodeStock,
  type RecentMovements,
  type RecentReads,
  SkuSchema,
  type TagInfo,
  TypedEpcSchema,
  type UnknownTags,
  ZoneSchema,
  type Zones,
} from "@comptoir/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { decodeIdentity, type Read } from "../../readers/identity.js";
import type { RouteDeps } from "../context.js";
import { valid } from "../validate.js";

const StockQuery = z.strictObject({ zone: ZoneSchema.optional(), sku: SkuSchema.optional() });
const LimitQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const EpcParam = z.strictObject({ epc: TypedEpcSchema });

/** What a node knows, read only: stock, recent reads and movements, tags, zones. */
export function stockRoutes({ api }: RouteDeps) {
  return (
    new Hono()
      .get("/node", (c) =>
        c.json({
          node: api.nodeId,
          role: api.role,
          zones: api.zones(),
          dock: api.dockView(),
          alerts: api.alerts(),
          format: api.siteFormat(),
        } satisfies NodeInfo),
      )
      .get("/stock", valid("query", StockQuery), (c) => {
        const { zone, sku } = c.req.valid("query");
        const filter = { ...(zone ? { zone } : {}), ...(sku ? { sku } : {}) };
        return c.json({ rows: api.stock(filter) } satisfies NodeStock);
      })
      .get("/reads/recent", valid("query", LimitQuery), (c) =>
        c.json({
          reads: api.recentReads(c.req.valid("query").limit).map((read) => readView(api, read)),
        } satisfies RecentReads),
      )
      .get("/movements/recent", valid("query", LimitQuery), (c) =>
        c.json({
          movements: api.recentMovements(c.req.valid("query").limit),
        } satisfies RecentMovements),
      )
      // `/tags/unknown` is answered by the `:epc` route: a fixed name beside a parameter at the
      // same place is a pair hono's RegExpRouter refuses, and one such pair kept every request
      // of the node's API on its slower trie router (a few µs and 3 KB of garbage a request).
      .get(
        "/tags/:epc",
        (c, next) =>
          c.req.param("epc") === "unknown"
            ? c.json({ tags: api.unknownTags() } satisfies UnknownTags)
            : next(),
        valid("param", EpcParam),
        (c) => {
          const { epc } = c.req.valid("param");
          const { place, movements } = api.tag(epc);
          const identity = decodeIdentity(epc);
          return c.json({
            epc,
            ...(identity ? { identity } : {}),
            place: place ?? null,
            movements,
          } satisfies TagInfo);
        },
      )
      .get("/zones", (c) => c.json({ zones: knownZones(api) } satisfies Zones))
  );
}

/** A read as pages see it: with the zone of the antenna that saw it, when the config maps one. */
export function readView(api: RouteDeps["api"], read: Read): Read & NodeRead {
  const zone = api.zoneOf(read.reader, read.antenna);
  return zone === undefined ? read : { ...read, zone };
}

/** The node's antenna zones and every zone that holds stock, sorted. */
export function knownZones(api: RouteDeps["api"]): string[] {
  const zones = new Set(api.zones());
  for (const row of api.stock()) zones.add(row.zone);
  return [...zones].sort();
}

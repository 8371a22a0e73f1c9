import { z } from "zod";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { EpcInput, MovementSchema } from "../schemas.js";

export const EpcParam = z.strictObject({ epc: EpcInput });

const TagSchema = z.strictObject({
  epc: z.string(),
  place: z
    .strictObject({
      sku: z.string().nullable(),
      gtin: z.string().nullable(),
      zone: z.string().nullable(),
    })
    .nullable()
    .describe("zone null: the item left the site"),
  history: z.array(MovementSchema).describe("newest first"),
});

export function tagRoutes(deps: RouteDeps): RouteGroup {
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/tags/:epc",
      summary: "where an item is and its history",
      permission: "movements:read",
      params: EpcParam,
      responses: { 200: { description: "the tag", schema: TagSchema } },
      errors: [400, 404],
    },
    (c) => {
      const { epc } = c.req.valid("param");
      const { place, history } = deps.store.tag(epc);
      if (!place && history.length === 0) {
        throw new ApiError(404, "not_found", `no item with EPC ${epc} was ever seen`, "epc");
      }
      return c.json({ epc, place: place ?? null, history });
    },
  );
}

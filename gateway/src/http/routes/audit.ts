import { ChainIdSchema, parsePublicKey, verify } from "@comptoir/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { ApiError } from "../errors.js";
import { valid } from "../validate.js";

export const ChainParam = z.strictObject({ chain: ChainIdSchema });

const AuditSchema = z.discriminatedUnion("ok", [
  z.strictObject({
    chain: z.string(),
    ok: z.literal(true),
    count: z.number().int(),
    head: z.strictObject({ seq: z.number().int(), hash: z.string() }),
  }),
  z.strictObject({
    chain: z.string(),
    ok: z.literal(false),
    seq: z.number().int().describe("the first seq that is wrong"),
    reason: z.string(),
    detail: z.string(),
    count: z.number().int(),
  }),
]);

export const auditDocs: RouteDoc[] = [
  {
    method: "get",
    path: "/audit/:chain/verify",
    summary: `verify a node's stored chain (or "${GATEWAY_CHAIN}"'s) against its enrolled key: ok with count and head, or broken at a seq with the reason`,
    permission: "audit:read",
    params: ChainParam,
    responses: { 200: { description: "the verdict", schema: AuditSchema } },
    errors: [400, 404],
  },
];

export function auditRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>().get(
    "/audit/:chain/verify",
    requirePermission(deps.tokens, "audit:read"),
    valid("param", ChainParam),
    (c) => {
      const { chain } = c.req.valid("param");
      let result: ReturnType<typeof verify>;
      if (chain === GATEWAY_CHAIN) result = deps.ledger.verify();
      else {
        const node = deps.store.node(chain);
        if (!node) throw new ApiError(404, "not_found", `no node ${chain} is enrolled`, "chain");
        result = verify(deps.store.entries(chain), {
          chain,
          publicKey: parsePublicKey(node.publicKey),
        });
      }
      return c.json({ chain, ...result });
    },
  );
}

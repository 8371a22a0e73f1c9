import { ChainIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { AuditBusyError, ChainAudit } from "../../audit/chain-audit.js";
import { GATEWAY_CHAIN } from "../../ledger/gateway-ledger.js";
import type { RouteDeps } from "../context.js";
import { ApiError, sendError } from "../errors.js";
import { RouteGroup } from "../route-group.js";

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

/** Seconds a refused client waits before asking again: a large chain takes a few. */
const RETRY_AFTER_SECONDS = 5;

export function auditRoutes(deps: RouteDeps): RouteGroup {
  const audit = new ChainAudit(deps.store);
  return new RouteGroup(deps.tokens).route(
    {
      method: "get",
      path: "/audit/:chain/verify",
      summary: `verify a node's stored chain (or "${GATEWAY_CHAIN}"'s) against its enrolled key: ok with count and head, or broken at a seq with the reason. Runs in a worker thread, one at a time: 429 with Retry-After while another runs`,
      permission: "audit:read",
      params: ChainParam,
      responses: { 200: { description: "the verdict", schema: AuditSchema } },
      errors: [400, 404, 429],
    },
    async (c) => {
      const { chain } = c.req.valid("param");
      let publicKey: string;
      if (chain === GATEWAY_CHAIN) publicKey = deps.ledger.publicKeyHex;
      else {
        const node = deps.store.node(chain);
        if (!node) throw new ApiError(404, "not_found", `no node ${chain} is enrolled`, "chain");
        publicKey = node.publicKey;
      }
      try {
        const result = await audit.verify(chain, publicKey);
        return c.json({ chain, ...result });
      } catch (error) {
        if (!(error instanceof AuditBusyError)) throw error;
        c.header("Retry-After", String(RETRY_AFTER_SECONDS));
        return sendError(
          c,
          429,
          "busy",
          `a chain verification is already running (one at a time): ask again in ${RETRY_AFTER_SECONDS} s`,
        );
      }
    },
  );
}

import {
  CreditAmountSchema,
  CreditDecisionListSchema,
  CreditFiguresSchema,
  CreditReasonSchema,
  CreditStatementSchema,
  TopicIdSchema,
} from "@comptoir/contracts";
import { z } from "zod";
import { CreditDecisions } from "../../credit/decisions.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { TimeInput } from "../schemas.js";

export const CreditParam = z.strictObject({ customer: TopicIdSchema });

export const CreditCheckBody = z.strictObject({
  customer: TopicIdSchema,
  amount: CreditAmountSchema.describe("the on-account basket, in minor units (cents)"),
});

export const CreditDecisionSchema = z.object({
  decision: z.enum(["approve", "block"]),
  reasons: z.array(CreditReasonSchema),
  figures: CreditFiguresSchema,
});

export const CreditDecisionsQuery = z.strictObject({
  outcome: z.enum(["approve", "block"]).optional(),
  customer: TopicIdSchema.optional(),
  since: TimeInput.optional().describe("recorded at or after this time"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A customer's credit statement is the dashboard's too: defined once, in contracts. */
export { CreditStatementSchema };

export function creditRoutes(deps: RouteDeps): RouteGroup {
  const { credit, tokens } = deps;
  const decisions = new CreditDecisions(deps.store.db, deps.catalog, credit.currency);
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        // Before /credit/:customer, which would take "decisions" for a customer.
        path: "/credit/decisions",
        summary:
          "credit decisions, newest first: the counters' (from their synced ledgers, offline ones too), the online checks, and the sales orders' at entry and release; ?outcome=approve|block&customer=&since=&limit= (default 100, at most 1000)",
        permission: "credit:read",
        query: CreditDecisionsQuery,
        responses: {
          200: { description: "the decisions, newest first", schema: CreditDecisionListSchema },
        },
        errors: [400],
      },
      (c) => {
        const { outcome, customer, since, limit } = c.req.valid("query");
        return c.json({
          decisions: decisions.list({
            limit,
            ...(outcome ? { outcome } : {}),
            ...(customer ? { customer } : {}),
            ...(since ? { since: since.toISOString() } : {}),
          }),
        });
      },
    )
    .route(
      {
        method: "get",
        path: "/credit/:customer",
        summary:
          "a customer's credit: limit, exposure by component with the documents behind each, available, overdue items, status",
        permission: "credit:read",
        params: CreditParam,
        responses: { 200: { description: "the customer's credit", schema: CreditStatementSchema } },
        errors: [400, 404],
      },
      (c) => {
        const { customer } = c.req.valid("param");
        const statement = credit.statement(customer);
        if (!statement) throw new ApiError(404, "not_found", `no customer ${customer}`, "customer");
        return c.json(statement);
      },
    )
    .route(
      {
        method: "post",
        path: "/credit/check",
        summary:
          "approve or block an on-account sale of `amount` on the live figures, with the reasons and figures; recorded in the gateway ledger",
        permission: "credit:check",
        body: CreditCheckBody,
        responses: { 200: { description: "the decision", schema: CreditDecisionSchema } },
        errors: [400, 404, 413, 415],
      },
      (c) => {
        const { customer, amount } = c.req.valid("json");
        const decision = credit.check(customer, amount, c.get("actor"));
        if (!decision) throw new ApiError(404, "not_found", `no customer ${customer}`, "customer");
        return c.json(decision);
      },
    );
}

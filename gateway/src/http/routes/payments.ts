import { PaymentSchema, TopicIdSchema } from "@comptoir/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { requirePermission } from "../auth.js";
import type { GatewayEnv, RouteDeps, RouteDoc } from "../context.js";
import { ApiError } from "../errors.js";
import { valid } from "../validate.js";
import { AllocationOutSchema } from "./invoices.js";
import { recordOrRefuse } from "./receivables-errors.js";

const Applied = z.object({
  payment: z.object({ id: z.string(), amount: z.number().int() }).loose(),
  customer: z.string().nullable().describe("null: nobody could be identified; it stays unapplied"),
  letter: z.string().nullable(),
  allocations: z.array(AllocationOutSchema),
  unapplied: z.number().int(),
});

export const PaymentQuery = z.strictObject({
  customer: TopicIdSchema.optional().describe(
    "absent: every customer's, and unidentified payments",
  ),
});

export const paymentDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/payments",
    summary:
      "record a payment received and apply it: invoices named in the label first, then oldest due first; a difference within the tolerance written off; the rest unapplied credit",
    permission: "receivables:write",
    body: PaymentSchema,
    responses: { 201: { description: "recorded and applied", schema: Applied } },
    errors: [400, 409, 413, 415, 422],
  },
  {
    method: "get",
    path: "/payments",
    summary:
      "unapplied credit (payments and credit notes not fully used), of one customer or all, unidentified payments included",
    permission: "receivables:read",
    query: PaymentQuery,
    responses: { 200: { description: "unapplied credit" } },
    errors: [400, 404],
  },
];

export const LetterParam = z.strictObject({
  letter: z
    .string()
    .regex(/^[A-Z]{1,8}$/, "must be a letter code such as A, B or AA")
    .describe("the matching group's letter code"),
});

export const undoDocs: RouteDoc[] = [
  {
    method: "post",
    path: "/allocations/:letter/undo",
    summary:
      "undo a matching group (letter): its invoices reopen and its payments or credit notes become unapplied again; the match then never happened for every as-of view (aging, dunning, DSO), whatever the date; recorded as its own ledger entry",
    permission: "receivables:write",
    params: LetterParam,
    responses: { 200: { description: "what was undone and the customers concerned" } },
    errors: [400, 404, 409],
  },
];

export function paymentRoutes(deps: RouteDeps) {
  const { credit, tokens } = deps;
  return new Hono<GatewayEnv>()
    .post(
      "/payments",
      requirePermission(tokens, "receivables:write"),
      valid("json", PaymentSchema),
      (c) => {
        const result = recordOrRefuse(() =>
          credit.recordPayment(c.req.valid("json"), c.get("actor")),
        );
        return c.json(result, 201);
      },
    )
    .post(
      "/allocations/:letter/undo",
      requirePermission(tokens, "receivables:write"),
      valid("param", LetterParam),
      (c) =>
        c.json(recordOrRefuse(() => credit.undoMatch(c.req.valid("param").letter, c.get("actor")))),
    )
    .get(
      "/payments",
      requirePermission(tokens, "receivables:read"),
      valid("query", PaymentQuery),
      (c) => {
        const { customer } = c.req.valid("query");
        if (customer && !credit.catalog.customer(customer)) {
          throw new ApiError(404, "not_found", `no customer ${customer}`, "customer");
        }
        return c.json({ unapplied: credit.receivables.unappliedCredits(customer) });
      },
    );
}

import { PaymentSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { AllocationOutSchema } from "./invoices.js";
import { paymentImportRoutes } from "./payment-import.js";
import { recordOrRefuse } from "./receivables-errors.js";

const Applied = z.object({
  payment: z.object({ id: z.string(), amount: z.number().int() }).loose(),
  customer: z.string().nullable().describe("null: nobody could be identified; it stays unapplied"),
  letter: z.string().nullable(),
  allocations: z.array(AllocationOutSchema),
  unapplied: z.number().int(),
});

const PaymentAllocationOut = AllocationOutSchema.extend({
  undone: z
    .object({ at: z.string(), by: z.object({ kind: z.string(), id: z.string() }) })
    .nullable()
    .describe(
      "null: the match counts; otherwise when and by whom it was undone (it never happened)",
    ),
});

const PaymentOut = z.object({
  id: z.string(),
  date: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  label: z.string(),
  reference: z.string().nullable(),
  customer: z.string().nullable().describe("null: nobody could be identified; it stays unapplied"),
  payer: z.string().nullable(),
  recordedAt: z.string(),
  applied: z.number().int().describe("matched to invoices (or an overpayment kept), live matches"),
  writtenOff: z.number().int().describe("a short payment's residues written off with it"),
  unapplied: z.number().int(),
  allocations: z
    .array(PaymentAllocationOut)
    .describe("every match made of this payment, in order: invoice, amount, letter, rule, actor"),
});

const UnappliedOut = z.object({
  kind: z.enum(["payment", "credit-note"]),
  customer: z.string().nullable(),
  id: z.string(),
  date: z.string(),
  amount: z.number().int(),
});

export const PaymentParam = z.strictObject({
  id: PaymentSchema.shape.id.describe("the payment's id (the bank's, or as the import made it)"),
});

export const PaymentQuery = z.strictObject({
  customer: TopicIdSchema.optional().describe(
    "absent: every customer's, and unidentified payments",
  ),
});

export const LetterParam = z.strictObject({
  letter: z
    .string()
    .regex(/^[A-Z]{1,8}$/, "must be a letter code such as A, B or AA")
    .describe("the matching group's letter code"),
});

export function paymentRoutes(deps: RouteDeps): RouteGroup {
  const { credit, tokens } = deps;
  return (
    new RouteGroup(tokens)
      .route(
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
        (c) => {
          const result = recordOrRefuse(() =>
            credit.payments.record(c.req.valid("json"), c.get("actor")),
          );
          return c.json(result, 201);
        },
      )
      .route(
        {
          method: "get",
          path: "/payments",
          summary:
            "payments received, oldest first, each with its allocations (invoice, amount, letter, rule, actor; undone ones marked), and the unapplied credit (payments and credit notes not fully used); of one customer or all, unidentified payments included",
          permission: "receivables:read",
          query: PaymentQuery,
          responses: {
            200: {
              description: "payments and unapplied credit",
              schema: z.object({ payments: z.array(PaymentOut), unapplied: z.array(UnappliedOut) }),
            },
          },
          errors: [400, 404],
        },
        (c) => {
          const { customer } = c.req.valid("query");
          if (customer && !credit.catalog.customer(customer)) {
            throw new ApiError(404, "not_found", `no customer ${customer}`, "customer");
          }
          return c.json({
            payments: credit.payments.list(customer ? { customer } : {}),
            unapplied: credit.payments.unapplied(customer),
          });
        },
      )
      .route(
        {
          method: "get",
          path: "/payments/:id",
          summary:
            "one payment and its application, however it came in (POST /payments or a file import): every allocation with its invoice, amount, letter, rule and actor, undone ones marked",
          permission: "receivables:read",
          params: PaymentParam,
          responses: { 200: { description: "the payment", schema: PaymentOut } },
          errors: [400, 404],
        },
        async (c, next) => {
          const { id } = c.req.valid("param");
          // GET /payments/template.csv belongs to the import routes, mounted after this one.
          if (id === "template.csv") return next();
          const payment = credit.payments.get(id);
          if (!payment) {
            throw new ApiError(
              404,
              "not_found",
              `no payment ${id}: GET /api/v1/payments lists them`,
              "id",
            );
          }
          return c.json(payment);
        },
      )
      // The file import (POST /payments/import, GET /payments/template.csv) is its own route group.
      .include(paymentImportRoutes(deps))
      .route(
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
        (c) =>
          c.json(
            recordOrRefuse(() =>
              credit.payments.undoMatch(c.req.valid("param").letter, c.get("actor")),
            ),
          ),
      )
  );
}

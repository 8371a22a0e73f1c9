import { InvoiceSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { InvoiceCursorSchema } from "../../receivables/invoice-cursor.js";
import type { RouteDeps } from "../context.js";
import { beforeCursor, encodePageCursor } from "../page-cursor.js";
import { RouteGroup } from "../route-group.js";
import { recordOrRefuse } from "./receivables-errors.js";

/** A page of GET /invoices: bounded, so one request cannot make the gateway list every invoice. */
export const INVOICES_DEFAULT_LIMIT = 500;
export const INVOICES_MAX_LIMIT = 1000;

export const InvoiceQuery = z.strictObject({
  customer: TopicIdSchema.optional(),
  direction: z.enum(["customer", "supplier"]).optional(),
  status: z
    .enum(["open", "paid", "overdue", "all"])
    .default("all")
    .describe("open: something still owed; overdue: some of it past due"),
  limit: z.coerce.number().int().min(1).max(INVOICES_MAX_LIMIT).default(INVOICES_DEFAULT_LIMIT),
  before: beforeCursor(InvoiceCursorSchema),
});

export const InvoiceRecordQuery = z.strictObject({
  update: z
    .enum(["true", "false"])
    .default("false")
    .describe("true: replace the invoice of the same number (its own ledger entry)"),
});

const AllocationOut = z.object({
  letter: z.string(),
  source: z.enum(["payment", "credit-note", "write-off"]),
  sourceId: z.string(),
  invoice: z.string().nullable(),
  amount: z.number().int(),
  rule: z.string(),
  by: z.object({ kind: z.string(), id: z.string() }),
  at: z.string(),
});
export const AllocationOutSchema = AllocationOut;

export const InvoiceSummarySchema = z.object({
  number: z.string(),
  direction: z.enum(["customer", "supplier"]),
  type: z.enum(["invoice", "credit-note"]),
  customer: z.string().nullable(),
  supplier: z.string().nullable(),
  issueDate: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  orderRef: z.string().nullable(),
  precedingInvoice: z.string().nullable(),
  amountDue: z.number().int(),
  openBalance: z.number().int(),
  overdue: z.number().int(),
  status: z.enum(["open", "paid"]),
  revision: z.number().int(),
});

const Recorded = z.object({ invoice: InvoiceSummarySchema, allocations: z.array(AllocationOut) });

export function invoiceRoutes(deps: RouteDeps): RouteGroup {
  const { credit, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/invoices",
        summary:
          "record a customer or supplier invoice or credit note (JSON); the same number again is a 409 unless ?update=true; a credit note is applied to the invoice it names",
        permission: "receivables:write",
        query: InvoiceRecordQuery,
        body: InvoiceSchema,
        responses: {
          201: { description: "recorded", schema: Recorded },
          200: { description: "updated (?update=true)", schema: Recorded },
        },
        errors: [400, 409, 413, 415, 422],
      },
      (c) => {
        const update = c.req.valid("query").update === "true";
        const result = recordOrRefuse(() =>
          credit.invoices.record(c.req.valid("json"), c.get("actor"), { update }),
        );
        return c.json(
          { invoice: result.invoice, allocations: result.allocations },
          result.updated ? 200 : 201,
        );
      },
    )
    .route(
      {
        method: "get",
        path: "/invoices",
        summary: `invoices with their open balance, newest first, ${INVOICES_DEFAULT_LIMIT} a page by default (limit up to ${INVOICES_MAX_LIMIT}); pass \`next\` as \`before\` for the next page`,
        permission: "receivables:read",
        query: InvoiceQuery,
        responses: {
          200: {
            description: "the invoices",
            schema: z.object({
              invoices: z.array(InvoiceSummarySchema),
              next: z
                .string()
                .nullable()
                .describe("pass as `before` for the next (older) page; null at the end"),
            }),
          },
        },
        errors: [400],
      },
      (c) => {
        const { customer, direction, status, limit, before } = c.req.valid("query");
        const page = credit.invoices.page(
          {
            ...(customer ? { customer } : {}),
            ...(direction ? { direction } : {}),
            ...(status === "all" ? {} : { status }),
          },
          { limit, ...(before ? { before } : {}) },
        );
        return c.json({
          invoices: page.invoices,
          next: page.next ? encodePageCursor(page.next) : null,
        });
      },
    );
}

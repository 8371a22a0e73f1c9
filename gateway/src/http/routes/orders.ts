import {
  OrderCancelBodySchema,
  OrderInputSchema,
  OrderListSchema,
  OrderNumberSchema,
  OrderReleaseBodySchema,
  OrderSchema,
  OrderStateSchema,
  TopicIdSchema,
} from "@comptoir/contracts";
import type { Context } from "hono";
import { z } from "zod";
import { orderFileParsers } from "../../file-imports/orders.js";
import { type OrderFileResult, orderCsvTemplate } from "../../orders/files.js";
import { OrderRefused } from "../../orders/resolve.js";
import type { OrderService } from "../../orders/service.js";
import type { RouteDeps } from "../context.js";
import { errorBody } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import * as fileImport from "./file-import-answers.js";

const OrderParam = z.strictObject({ number: OrderNumberSchema });
const OrderListQuery = z.strictObject({
  state: OrderStateSchema.optional(),
  customer: TopicIdSchema.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe("at most this many orders, held ones first; the counts cover them all"),
});
const OrderImportQuery = z.strictObject({ dryRun: fileImport.DryRunQueryField });
const ImportedOrders = z.object({
  dryRun: z
    .boolean()
    .optional()
    .describe("present and true: checked and decided only, nothing stored"),
  imported: z.number().int().describe("0 on a dry run"),
  orders: z
    .array(OrderSchema)
    .describe("each order as stored (or as it would be), with its credit decision"),
});

/** Runs `work`; an order refused (`OrderRefused`) is answered with its status and every problem. */
function answering<T>(c: Context, work: () => T, prefix?: string) {
  return fileImport.answerRefusal(c, OrderRefused, work, prefix);
}

/**
 * Sales orders (issue 15): the ERP's sales module places them (one, or a
 * file); each is decided at entry by the counter's `decideCredit` on the
 * live figures, held with its reasons when blocked, released by itself when
 * the customer is back within the rules or by a credit manager with a
 * reason, and followed to the dock and the invoice.
 */
export function orderRoutes(deps: RouteDeps): RouteGroup {
  const { tokens } = deps;
  const orders: OrderService = deps.orders;
  const [template, templateAnswer] = fileImport.csvTemplateRoute(
    "/orders/template.csv",
    "the orders CSV layout",
    "orders-template.csv",
    orderCsvTemplate,
  );
  return new RouteGroup(tokens)
    .route(
      {
        method: "post",
        path: "/orders",
        summary:
          "place a sales order (number, customer, lines by SKU or GTIN with quantity and unit price, requested ship date): decided at once with the counter's rules, `approved` or `held` with the reasons; a gateway ledger entry `order.placed`",
        permission: "orders:write",
        body: OrderInputSchema,
        responses: { 201: { description: "the order, approved or held", schema: OrderSchema } },
        errors: [400, 409, 413, 415, 422],
      },
      (c) => {
        const placed = answering(c, () => orders.place([c.req.valid("json")], c.get("actor")));
        if (!placed.ok) return placed.response;
        return c.json(placed.value[0], 201);
      },
    )
    .route(
      {
        method: "post",
        path: "/orders/import",
        summary:
          "import sales orders: JSON (an order, an array, or { orders: [...] }) or text/csv with one row per order line and the columns number, customer, order_date (optional, YYYY-MM-DD), requested_ship_date, currency (optional), sku or gtin, quantity, unit_price (decimal, 12.50); an order's rows share its number and say the same in its columns. The whole file is checked first, every problem listed with its line or path, and nothing is stored if anything is wrong; each order is then decided as POST /orders does, in file order",
        permission: "orders:write",
        query: OrderImportQuery,
        responses: fileImport.importResponses(ImportedOrders, {
          dryRun: "dry run: every order would be stored, with the decision it would get",
          stored: "every order stored and decided",
        }),
        errors: fileImport.IMPORT_ERRORS,
      },
      async (c) => {
        const checkOnly = c.req.valid("query").dryRun === "true";
        const read = await fileImport.readCsvOrJson<OrderFileResult>(
          c,
          orderFileParsers(deps.credit.currency),
          "orders",
        );
        if (!read.ok) return read.response;
        const parsed = read.file;
        const placed = answering(
          c,
          () =>
            orders.place(parsed.orders, c.get("actor"), {
              dryRun: checkOnly,
              locate: parsed.locate,
            }),
          "the orders file was refused, nothing imported — ",
        );
        if (!placed.ok) return placed.response;
        return fileImport.importedAnswer(c, checkOnly, placed.value.length, {
          orders: placed.value,
        });
      },
    )
    .route({ ...template, permission: "orders:read" }, templateAnswer)
    .route(
      {
        method: "get",
        path: "/orders",
        summary:
          "sales orders, held first (with their reasons and what would release them), then newest first, at most `limit`; with the count of orders per state",
        permission: "orders:read",
        query: OrderListQuery,
        responses: { 200: { description: "the orders", schema: OrderListSchema } },
        errors: [400],
      },
      (c) => c.json(orders.list(c.req.valid("query"))),
    )
    .route(
      {
        method: "get",
        path: "/orders/:number",
        summary:
          "one sales order: state, credit decision (reasons, figures, amount to pay to release it), lines with what left and what was billed, history",
        permission: "orders:read",
        params: OrderParam,
        responses: { 200: { description: "the order", schema: OrderSchema } },
        errors: [400, 404],
      },
      (c) => {
        const { number } = c.req.valid("param");
        const order = orders.get(number);
        if (!order) return c.json(errorBody("not_found", `no order ${number}`, "number"), 404);
        return c.json(order);
      },
    )
    .route(
      {
        method: "post",
        path: "/orders/:number/release",
        summary:
          "the credit manager's override: release a held order with a mandatory reason; the ledger entry `order.released` records who, why, and the exposure before and after",
        permission: "orders:release",
        params: OrderParam,
        body: OrderReleaseBodySchema,
        responses: { 200: { description: "the order, released", schema: OrderSchema } },
        errors: [400, 404, 409, 413, 415],
      },
      (c) => {
        const { number } = c.req.valid("param");
        const { reason } = c.req.valid("json");
        const released = answering(c, () => orders.release(number, reason, c.get("actor")));
        return released.ok ? c.json(released.value) : released.response;
      },
    )
    .route(
      {
        method: "post",
        path: "/orders/:number/cancel",
        summary:
          "cancel an order not yet shipped or invoiced: what it held of the customer's credit is freed, and the customer's held orders may then be released (`order.cancelled`)",
        permission: "orders:write",
        params: OrderParam,
        body: OrderCancelBodySchema,
        responses: { 200: { description: "the order, cancelled", schema: OrderSchema } },
        errors: [400, 404, 409, 413, 415],
      },
      (c) => {
        const { number } = c.req.valid("param");
        const { reason } = c.req.valid("json");
        const cancelled = answering(c, () => orders.cancel(number, reason, c.get("actor")));
        return cancelled.ok ? c.json(cancelled.value) : cancelled.response;
      },
    );
}

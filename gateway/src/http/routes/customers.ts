import { StoredCustomerSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { CustomerSchema } from "../../catalog/schemas.js";
import type { RouteDeps } from "../context.js";
import { ApiError } from "../errors.js";
import { RouteGroup } from "../route-group.js";
import { saveOrRefuse } from "./catalog-errors.js";

export const CustomerParam = z.strictObject({ id: TopicIdSchema });
/** PUT: the customer's new state; the id comes from the path. */
export const CustomerChange = CustomerSchema.omit({ id: true });

/** A customer as answered: the dashboard's too, defined once in contracts. */
export { StoredCustomerSchema };

export function customerRoutes(deps: RouteDeps): RouteGroup {
  const { catalog, tokens } = deps;
  return new RouteGroup(tokens)
    .route(
      {
        method: "get",
        path: "/customers",
        summary: "every customer: id, name, credit limit (or unlimited), payment terms in days",
        permission: "customers:read",
        responses: {
          200: {
            description: "the customers",
            schema: z.strictObject({ customers: z.array(StoredCustomerSchema) }),
          },
        },
      },
      (c) => c.json({ customers: catalog.customers() }),
    )
    .route(
      {
        method: "get",
        path: "/customers/:id",
        summary: "one customer",
        permission: "customers:read",
        params: CustomerParam,
        responses: { 200: { description: "the customer", schema: StoredCustomerSchema } },
        errors: [400, 404],
      },
      (c) => {
        const { id } = c.req.valid("param");
        const customer = catalog.customer(id);
        if (!customer) throw new ApiError(404, "not_found", `no customer ${id}`, "id");
        return c.json(customer);
      },
    )
    .route(
      {
        method: "post",
        path: "/customers",
        summary: "create a customer; recorded in the gateway ledger",
        permission: "customers:write",
        body: CustomerSchema,
        responses: { 201: { description: "created", schema: StoredCustomerSchema } },
        errors: [400, 409, 413, 415],
      },
      (c) => {
        const customer = saveOrRefuse(() =>
          catalog.saveCustomer(c.req.valid("json"), c.get("actor"), "create"),
        );
        return c.json(customer, 201);
      },
    )
    .route(
      {
        method: "put",
        path: "/customers/:id",
        summary:
          "change a customer (credit limit, terms); recorded in the gateway ledger with what it was before",
        permission: "customers:write",
        params: CustomerParam,
        body: CustomerChange,
        responses: { 200: { description: "changed", schema: StoredCustomerSchema } },
        errors: [400, 404, 413, 415],
      },
      (c) => {
        const { id } = c.req.valid("param");
        if (!catalog.customer(id)) {
          throw new ApiError(
            404,
            "not_found",
            `no customer ${id}: create it with POST /api/v1/customers`,
            "id",
          );
        }
        const customer = saveOrRefuse(() =>
          catalog.saveCustomer({ id, ...c.req.valid("json") }, c.get("actor"), "replace"),
        );
        return c.json(customer);
      },
    );
}

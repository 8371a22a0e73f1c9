/** A product is the dashboard's too: defined once, in contracts. */
/** A customer is the dashboard's too: defined once, in contracts. */
export {
  CreditLimitSchema,
  type Customer,
  CustomerSchema,
  type Product,
  type ProductInput,
  ProductSchema,
} from "@comptoir/contracts";

/** A product or customer as stored: with when it was created and last changed. */
export type Stamped<T> = T & { createdAt: string; updatedAt: string };

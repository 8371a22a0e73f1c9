import { z } from "zod";
import { MoneySchema } from "../../money.js";
import { TopicIdSchema } from "../../mqtt/topics.js";
import { GtinSchema, SkuSchema } from "../../stock/events.js";

/** An amount that cannot be negative: prices, costs, credit limits. */
export const NonNegativeMoneySchema = MoneySchema.refine((value) => value.amount >= 0, {
  message: "cannot be negative",
  path: ["amount"],
});

/** A product of the gateway's catalog, as POST /api/v1/products takes it. */
export const ProductSchema = z.strictObject({
  sku: SkuSchema,
  /** The product's main GTIN (the one the catalog sent to nodes before 0.6). */
  gtin: GtinSchema.nullable().default(null),
  /** Its other GTINs: other pack sizes, a new label. Tags of any of them are this product. */
  gtins: z.array(GtinSchema).max(64).default([]),
  name: z.string().trim().min(1).max(200),
  unitPrice: NonNegativeMoneySchema,
  unitCost: NonNegativeMoneySchema,
  /** The product's family (margin floors per category, issue 16); absent: none. */
  category: z.string().trim().min(1).max(64).optional(),
});
export type Product = z.infer<typeof ProductSchema>;
export type ProductInput = z.input<typeof ProductSchema>;

/** A product as GET /api/v1/products answers it (and the dashboard reads it): with when it was created and last changed. */
export const StoredProductSchema = ProductSchema.extend({
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredProductView = z.infer<typeof StoredProductSchema>;

export const CreditLimitSchema = z
  .union([NonNegativeMoneySchema, z.literal("unlimited")])
  .describe('the most the customer may owe, or "unlimited"');

/** A customer of the gateway's catalog, as POST /api/v1/customers takes it. */
export const CustomerSchema = z.strictObject({
  /** Also an MQTT topic level (`credit/<customer>`), hence the id rules. */
  id: TopicIdSchema,
  name: z.string().trim().min(1).max(200),
  creditLimit: CreditLimitSchema,
  paymentTermsDays: z.number().int().min(0).max(365),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** A customer as GET /api/v1/customers answers it (and the dashboard reads it). */
export const StoredCustomerSchema = CustomerSchema.extend({
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredCustomerView = z.infer<typeof StoredCustomerSchema>;

import { GtinSchema, MoneySchema, SkuSchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";

/** An amount that cannot be negative: prices, costs, credit limits. */
const Amount = MoneySchema.refine((value) => value.amount >= 0, {
  message: "cannot be negative",
  path: ["amount"],
});

export const ProductSchema = z.strictObject({
  sku: SkuSchema,
  /** The product's main GTIN (the one the catalog sent to nodes before 0.6). */
  gtin: GtinSchema.nullable().default(null),
  /** Its other GTINs: other pack sizes, a new label. Tags of any of them are this product. */
  gtins: z.array(GtinSchema).max(64).default([]),
  name: z.string().trim().min(1).max(200),
  unitPrice: Amount,
  unitCost: Amount,
});
export type Product = z.infer<typeof ProductSchema>;
export type ProductInput = z.input<typeof ProductSchema>;

export const CreditLimitSchema = z
  .union([Amount, z.literal("unlimited")])
  .describe('the most the customer may owe, or "unlimited"');

export const CustomerSchema = z.strictObject({
  /** Also an MQTT topic level (`credit/<customer>`), hence the id rules. */
  id: TopicIdSchema,
  name: z.string().trim().min(1).max(200),
  creditLimit: CreditLimitSchema,
  paymentTermsDays: z.number().int().min(0).max(365),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** A product or customer as stored: with when it was created and last changed. */
export type Stamped<T> = T & { createdAt: string; updatedAt: string };

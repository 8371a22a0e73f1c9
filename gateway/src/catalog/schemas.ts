import { NonNegativeMoneySchema, TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";

/** A product is the dashboard's too: defined once, in contracts. */
export { type Product, type ProductInput, ProductSchema } from "@comptoir/contracts";

/** An amount that cannot be negative: prices, costs, credit limits. */
const Amount = NonNegativeMoneySchema;

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

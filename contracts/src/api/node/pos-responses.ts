import { z } from "zod";
import {
  BelowCostLineSchema,
  BelowCostPolicySchema,
  CreditFiguresSchema,
  CreditReasonSchema,
  SaleDataSchema,
  SaleLineSchema,
} from "../../credit/sale.js";
import { CreditSnapshotSchema } from "../../mqtt/messages.js";

/**
 * What the counter node's POS API (`/api/v1/pos/*`) answers: the node's
 * routes check their answers against these types, the POS page reads them.
 */

/** A supervisor or clerk as the page lists them (never their PIN). */
export const PosPersonSchema = z.object({ id: z.string(), name: z.string() });
export type PosPerson = z.infer<typeof PosPersonSchema>;

/** `GET /pos/clerks`. */
export const PosClerksSchema = z.object({ clerks: z.array(PosPersonSchema) });
export type PosClerks = z.infer<typeof PosClerksSchema>;
/** `GET /pos/supervisors`. */
export const PosSupervisorsSchema = z.object({ supervisors: z.array(PosPersonSchema) });
export type PosSupervisors = z.infer<typeof PosSupervisorsSchema>;

/** `POST /pos/clerk/sign-in`: the session the page sends back in X-Clerk-Session. */
export const ClerkSignedInSchema = z.object({
  session: z.string(),
  expiresInSeconds: z.number(),
  clerk: PosPersonSchema,
});
export type ClerkSignedIn = z.infer<typeof ClerkSignedInSchema>;

/** A customer's standing as the counter shows it, before any sale. */
export const PosStandingSchema = z.object({
  customer: z.string(),
  name: z.string(),
  currency: z.string(),
  limit: z.number().nullable(),
  exposure: z.number(),
  pending: z.number(),
  available: z.number().nullable(),
  overdue: z.number(),
  overdueSince: z.string().nullable(),
  status: CreditSnapshotSchema.shape.status,
  version: z.number(),
  asOf: z.string(),
  offline: z.boolean(),
  stale: z.boolean(),
  /** The till's clock is not synchronised yet: offline, the data's age is unknown (counts as stale). */
  clockUnsynced: z.boolean().optional(),
});
export type PosStanding = z.infer<typeof PosStandingSchema>;

/** `GET /pos/customers`. */
export const PosCustomersSchema = z.object({ customers: z.array(PosStandingSchema) });
export type PosCustomers = z.infer<typeof PosCustomersSchema>;

/** A tag on the counter: the basket the credit check prices. */
export const BasketItemSchema = z.object({
  epc: z.string(),
  sku: z.string().nullable(),
  gtin: z.string().optional(),
});

/** `GET /pos/basket` and every basket change. */
export const PricedBasketSchema = z.object({
  currency: z.string().nullable(),
  catalogVersion: z.number().nullable(),
  lines: z.array(SaleLineSchema),
  total: z.number(),
  unpriced: z.array(BasketItemSchema),
  /** Lines priced under the next unit's cost (none when the catalog carries no costs). */
  belowCost: z.array(BelowCostLineSchema).optional(),
  /** What a sale of these lines does with them: "warn" sells, "block" needs a supervisor. */
  belowCostPolicy: BelowCostPolicySchema.optional(),
});
export type PricedBasketView = z.infer<typeof PricedBasketSchema>;
export type PricedLineView = PricedBasketView["lines"][number];

/** `POST /pos/check`, and the decision a refused sale carries. */
export const RecordedDecisionSchema = z.object({
  decision: z.enum(["approve", "block"]),
  reasons: z.array(CreditReasonSchema),
  figures: CreditFiguresSchema,
  seq: z.number().int(),
  /** A check of lines: those priced under cost (the credit decision does not weigh them). */
  belowCost: z.array(BelowCostLineSchema).optional(),
});
export type RecordedDecision = z.infer<typeof RecordedDecisionSchema>;

/** `POST /pos/sale` and `POST /pos/override`. */
export const SoldSchema = z.object({
  sale: SaleDataSchema,
  seq: z.number().int(),
  decision: RecordedDecisionSchema.optional(),
});
export type Sold = z.infer<typeof SoldSchema>;

/** `GET /pos/status`. */
export const PosStatusSchema = z.object({
  online: z.boolean(),
  catalog: z
    .object({
      version: z.number(),
      asOf: z.string(),
      currency: z.string(),
      products: z.number().int(),
    })
    .nullable(),
});
export type PosStatus = z.infer<typeof PosStatusSchema>;

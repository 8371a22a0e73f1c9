import { z } from "zod";
import { IsoUtcSchema } from "../ledger/schema.js";
import { CurrencySchema } from "../money.js";
import { TopicIdSchema } from "../mqtt/topics.js";
import { EpcSchema, GtinSchema, SkuSchema } from "../stock/events.js";

/**
 * The ledger entries a counter node writes. The node decides and records;
 * the gateway folds sales into exposure (counter sales not yet invoiced).
 */

const MinorUnitsSchema = z
  .number()
  .int("must be an integer of minor units (cents)")
  .refine(Number.isSafeInteger, "is out of range");

/** The most items a reason names: the oldest counted, enough for any screen or letter. */
export const CREDIT_REASON_ITEMS_MAX = 100;

/** An overdue item an "overdue" reason counted: the invoice, what remains of it, how late. */
export const CreditReasonItemSchema = z.strictObject({
  invoice: z.string().min(1).max(64),
  open: MinorUnitsSchema,
  daysOverdue: z.number().int().min(0),
});
export type CreditReasonItem = z.infer<typeof CreditReasonItemSchema>;

/** Why a decision went the way it did: a stable code and a sentence a clerk can read. */
export const CreditReasonSchema = z.strictObject({
  code: z.enum([
    "over-limit",
    "no-credit",
    "overdue",
    "offline-stale",
    "offline-cap",
    "no-snapshot",
    "warn-band",
    "within-limit",
    "unlimited",
    "on-hold",
  ]),
  message: z.string().min(1).max(300),
  /** "overdue": the items counted toward the floor, oldest first. */
  items: z.array(CreditReasonItemSchema).max(CREDIT_REASON_ITEMS_MAX).optional(),
});
export type CreditReason = z.infer<typeof CreditReasonSchema>;

/** The figures behind a decision, all in the snapshot's currency. */
export const CreditFiguresSchema = z.strictObject({
  currency: CurrencySchema,
  /** null: unlimited. */
  limit: MinorUnitsSchema.nullable(),
  /** Exposure before this sale: the snapshot's plus the node's own sales since. */
  exposure: MinorUnitsSchema,
  amount: MinorUnitsSchema,
  /** limit − exposure − amount; null when unlimited. */
  availableAfter: MinorUnitsSchema.nullable(),
  overdue: MinorUnitsSchema,
  snapshotVersion: z.number().int().min(0),
  snapshotAsOf: IsoUtcSchema.nullable(),
  offline: z.boolean(),
});
export type CreditFigures = z.infer<typeof CreditFiguresSchema>;

export const CREDIT_DECISION_TYPE = "credit-decision";
/** Entry type "credit-decision": every approve or block at a counter. */
export const CreditDecisionDataSchema = z.strictObject({
  customer: TopicIdSchema,
  clerk: z.string().min(1).max(64),
  decision: z.enum(["approve", "block"]),
  reasons: z.array(CreditReasonSchema).min(1).max(10),
  figures: CreditFiguresSchema,
  at: IsoUtcSchema,
});
export type CreditDecisionData = z.infer<typeof CreditDecisionDataSchema>;

export const SaleLineSchema = z.strictObject({
  sku: SkuSchema,
  gtin: GtinSchema.optional(),
  name: z.string().max(200),
  /** The tags sold, when the items came from the counter reader. */
  epcs: z.array(EpcSchema).max(10_000),
  quantity: z.number().int().min(1).max(100_000),
  unitPrice: MinorUnitsSchema,
  lineTotal: MinorUnitsSchema,
});
export type SaleLine = z.infer<typeof SaleLineSchema>;

/**
 * What a counter does with a line priced under cost (node config `pos.belowCost`):
 * "warn" shows it and sells; "block" refuses the sale unless a supervisor overrides.
 */
export const BelowCostPolicySchema = z.enum(["warn", "block"]);
export type BelowCostPolicy = z.infer<typeof BelowCostPolicySchema>;

/**
 * A line whose unit price is below the cost of the product's next unit, as
 * the catalog the counter held gave it (`unitCost`, the gateway's FIFO cost).
 */
export const BelowCostLineSchema = z.strictObject({
  /** The line's index in the sale's (or the basket's) lines. */
  line: z.number().int().min(0),
  sku: SkuSchema,
  unitPrice: MinorUnitsSchema,
  unitCost: MinorUnitsSchema,
});
export type BelowCostLine = z.infer<typeof BelowCostLineSchema>;

/** A supervisor's reason for an override: the same rule for credit and for a sale under cost. */
export const OverrideReasonSchema = z.string().min(3).max(300);

/** The lines a sale sold under cost, the policy then, and who let it through when it blocks. */
export const SaleBelowCostSchema = z.strictObject({
  policy: BelowCostPolicySchema,
  lines: z.array(BelowCostLineSchema).min(1).max(1000),
  override: z
    .strictObject({ supervisor: z.string().min(1).max(64), reason: OverrideReasonSchema })
    .optional(),
});
export type SaleBelowCost = z.infer<typeof SaleBelowCostSchema>;

export const SALE_TYPE = "sale";
/**
 * Entry type "sale": a completed counter sale. On account, it adds `total`
 * to the customer's exposure until an invoice references `id` (as its order
 * reference, BT-13). The items sold leave stock through movement entries of
 * kind "sale" written right after it.
 */
export const SaleDataSchema = z.strictObject({
  /** Unique on the site: `<node>-<seq of this entry>` is a good choice. */
  id: z.string().min(1).max(64),
  payment: z.enum(["cash", "account"]),
  /** Required on account. */
  customer: TopicIdSchema.optional(),
  clerk: z.string().min(1).max(64),
  currency: CurrencySchema,
  lines: z.array(SaleLineSchema).min(1).max(1000),
  total: MinorUnitsSchema,
  /** Set when a supervisor completed a blocked sale. */
  override: z
    .strictObject({
      supervisor: z.string().min(1).max(64),
      reason: OverrideReasonSchema,
      exposureBefore: MinorUnitsSchema,
      exposureAfter: MinorUnitsSchema,
      limit: MinorUnitsSchema.nullable(),
    })
    .optional(),
  /** Lines sold under cost (absent when none, or when the catalog carried no costs). */
  belowCost: SaleBelowCostSchema.optional(),
  at: IsoUtcSchema,
});
export type SaleData = z.infer<typeof SaleDataSchema>;

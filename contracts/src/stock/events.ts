import { z } from "zod";
import { IsoUtcSchema } from "../ledger/schema.js";
import { TopicIdSchema } from "../mqtt/topics.js";

/**
 * The data of the ledger entries that move goods. Node and gateway both
 * fold them into stock, so their shapes live here.
 */

export const EpcSchema = z
  .string()
  .regex(/^[0-9A-F]{8,64}$/, "must be an EPC in upper-case hex (8-64 digits)");

export const ZoneSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "must be a zone name: letters, digits, '_', '.', '-'",
  );

export const SkuSchema = z.string().min(1).max(64);

export const GtinSchema = z.string().regex(/^\d{14}$/, "must be a 14-digit GTIN");

export const MOVEMENT_KINDS = ["receive", "putaway", "pick", "ship", "sale", "adjust"] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Entry type "movement": one item (one tag) went from one place to another. */
export const MovementDataSchema = z.strictObject({
  epc: EpcSchema,
  /**
   * The SKU the tag was explicitly commissioned to, or null. Never a GTIN:
   * an SGTIN's product is found from `gtin` in the catalog where the
   * projection is made (see `explicitSku`).
   */
  sku: SkuSchema.nullable(),
  /** The GTIN an SGTIN tag encodes. */
  gtin: GtinSchema.optional(),
  kind: z.enum(MOVEMENT_KINDS),
  /** null: from outside the site (receiving). */
  from: ZoneSchema.nullable(),
  /** null: out of the site (shipping, sale). */
  to: ZoneSchema.nullable(),
  /** The evidence: which reader, which antennas in the order they saw the tag, how many reads. */
  reader: TopicIdSchema,
  antennas: z.array(z.number().int().min(1).max(64)).min(1).max(64),
  reads: z.number().int().min(1),
  rssi: z.number().min(-128).max(20).optional(),
  /** When the movement was observed, by the node's clock. */
  at: IsoUtcSchema,
  /** Shipping: the dock's current order and customer, when set. */
  order: z.string().min(1).max(64).optional(),
  customer: TopicIdSchema.optional(),
  /** Adjustments (cycle counts): why. */
  reason: z.string().min(1).max(200).optional(),
});
export type MovementData = z.infer<typeof MovementDataSchema>;

/**
 * The SKU a movement names on purpose. Nodes before 0.6 wrote an
 * unregistered SGTIN's GTIN in `sku`; such a value is not a SKU, and the
 * product is then found from the GTIN like any other SGTIN's.
 */
export function explicitSku(movement: { sku: string | null; gtin?: string | undefined }) {
  return movement.sku !== null && movement.sku !== movement.gtin ? movement.sku : null;
}

/** Entry type "commission": a tag is declared to be one item of a SKU. */
export const CommissionDataSchema = z.strictObject({
  epc: EpcSchema,
  sku: SkuSchema,
  gtin: GtinSchema.optional(),
});
export type CommissionData = z.infer<typeof CommissionDataSchema>;

export const MOVEMENT_TYPE = "movement";
export const COMMISSION_TYPE = "commission";

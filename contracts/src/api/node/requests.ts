import { z } from "zod";
import { TopicIdSchema } from "../../mqtt/topics.js";
import { EpcSchema, GtinSchema, SkuSchema, ZoneSchema } from "../../stock/events.js";

/**
 * The request bodies of the node's local API (stock, tags, dock, station):
 * the node parses them at its edge, the node's pages type what they send with them.
 */

/** An EPC as staff type or scan it: spaces trimmed, hex upper-cased, then checked. */
export const TypedEpcSchema = z.string().trim().toUpperCase().pipe(EpcSchema);

/** A list of items for a station action: at least one, at most 500, no EPC twice. */
export const EpcList = z
  .array(TypedEpcSchema)
  .min(1, "select at least one item")
  .max(500, "at most 500 items per request")
  .refine((epcs) => new Set(epcs).size === epcs.length, "an EPC appears twice");

const Reason = z.string().trim().min(1, "give a reason").max(200);

export const DockOrderBody = z
  .strictObject({
    order: z.string().trim().min(1).max(64).nullable(),
    customer: TopicIdSchema.nullable().default(null),
  })
  .refine((value) => value.order !== null || value.customer === null, {
    message: "a customer needs an order",
    path: ["customer"],
  });

export const CommissionBody = z.strictObject({
  epc: TypedEpcSchema,
  sku: z.string().trim().pipe(SkuSchema),
  gtin: GtinSchema.optional(),
});

export const MoveBody = z.strictObject({
  epcs: EpcList,
  zone: ZoneSchema,
  reason: Reason.optional(),
});

export const AssignBody = z.strictObject({ epcs: EpcList, zone: ZoneSchema });

export const CycleCountBody = z.strictObject({
  zone: ZoneSchema,
  seen: z
    .array(TypedEpcSchema)
    .max(5000)
    .refine((epcs) => new Set(epcs).size === epcs.length, "an EPC appears twice"),
  reason: Reason,
});

/** What a client sends (zod's input types: before trimming and defaults). */
export type DockOrderRequest = z.input<typeof DockOrderBody>;
export type CommissionRequest = z.input<typeof CommissionBody>;
export type MoveRequest = z.input<typeof MoveBody>;
export type AssignRequest = z.input<typeof AssignBody>;
export type CycleCountRequest = z.input<typeof CycleCountBody>;

import { EpcSchema, TopicIdSchema, ZoneSchema } from "@comptoir/contracts";
import { z } from "zod";

/** An EPC as staff type or scan it: spaces trimmed, hex upper-cased, then checked. */
export const EpcInput = z.string().trim().toUpperCase().pipe(EpcSchema);

/** A list of items for a station action: at least one, at most 500, no EPC twice. */
export const EpcList = z
  .array(EpcInput)
  .min(1, "select at least one item")
  .max(500, "at most 500 items per request")
  .refine((epcs) => new Set(epcs).size === epcs.length, "an EPC appears twice");

export const Reason = z.string().trim().min(1, "give a reason").max(200);

export const DockOrderBody = z
  .strictObject({
    order: z.string().trim().min(1).max(64).nullable(),
    customer: TopicIdSchema.nullable().default(null),
  })
  .refine((value) => value.order !== null || value.customer === null, {
    message: "a customer needs an order",
    path: ["customer"],
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
    .array(EpcInput)
    .max(5000)
    .refine((epcs) => new Set(epcs).size === epcs.length, "an EPC appears twice"),
  reason: Reason,
});

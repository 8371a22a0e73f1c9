import { z } from "zod";
import { CreditAmountSchema } from "../../credit/decide.js";
import { TopicIdSchema } from "../../mqtt/topics.js";
import { GtinSchema, SkuSchema } from "../../stock/events.js";
import { TypedEpcSchema } from "./requests.js";

/**
 * The POS request bodies: everything a clerk's screen or a client may send.
 * None names the clerk: a check, sale or override records the clerk signed
 * in on the terminal (X-Clerk-Session), so a body with `clerk` is refused.
 */

/** Supervisor and clerk PINs: 6 to 12 digits (shorter ones fall to guessing). */
const Pin = z.string().regex(/^\d{6,12}$/, "a PIN is 6 to 12 digits");

const Reason = z
  .string()
  .trim()
  .min(3, "give the reason for the override (at least 3 characters)")
  .max(300);

/**
 * A supervisor lets a sale with lines under cost through when the node's
 * policy (`pos.belowCost: block`) refuses it: their PIN and a reason.
 */
export const BelowCostOverride = z.strictObject({
  supervisor: TopicIdSchema,
  pin: Pin,
  reason: Reason,
});

export const PosLine = z
  .strictObject({
    sku: SkuSchema.optional(),
    gtin: GtinSchema.optional(),
    epcs: z.array(TypedEpcSchema).min(1).max(500).optional(),
    quantity: z.number().int("must be a whole number").min(1).max(10_000).optional(),
  })
  .superRefine((line, ctx) => {
    if ((line.sku === undefined) === (line.gtin === undefined))
      ctx.addIssue({ code: "custom", path: ["sku"], message: "give either sku or gtin" });
    if (line.epcs === undefined && line.quantity === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["quantity"],
        message: "give the tags (epcs) or a quantity",
      });
    if (line.epcs && line.quantity !== undefined && line.quantity !== line.epcs.length)
      ctx.addIssue({
        code: "custom",
        path: ["quantity"],
        message: `must equal the number of tags (${line.epcs.length})`,
      });
  });

const Lines = z
  .array(PosLine)
  .min(1, "the basket is empty")
  .max(200)
  .superRefine((lines, ctx) => {
    const seen = new Set<string>();
    lines.forEach((line, index) => {
      for (const epc of line.epcs ?? []) {
        if (seen.has(epc))
          ctx.addIssue({
            code: "custom",
            path: [index, "epcs"],
            message: `tag ${epc} appears twice`,
          });
        seen.add(epc);
      }
    });
  });

export const CheckBody = z
  .strictObject({
    customer: TopicIdSchema,
    amount: CreditAmountSchema.optional(),
    lines: Lines.optional(),
  })
  .refine((body) => (body.amount === undefined) !== (body.lines === undefined), {
    message: "give either amount or lines",
    path: ["amount"],
  });

export const SaleBody = z
  .strictObject({
    customer: TopicIdSchema.optional(),
    payment: z.enum(["cash", "account"]),
    lines: Lines,
    belowCostOverride: BelowCostOverride.optional(),
  })
  .refine((body) => body.payment !== "account" || body.customer !== undefined, {
    message: "an on-account sale needs the customer",
    path: ["customer"],
  });

export const OverrideBody = z.strictObject({
  customer: TopicIdSchema,
  supervisor: TopicIdSchema,
  pin: Pin,
  reason: Reason,
  lines: Lines,
});

/** A clerk signs in at the till; sales then record this clerk, never a name typed in the body. */
export const SignInBody = z.strictObject({ clerk: TopicIdSchema, pin: Pin });

export const BasketRemoveBody = z
  .strictObject({ epc: TypedEpcSchema.optional(), gtin: GtinSchema.optional() })
  .refine((body) => (body.epc === undefined) !== (body.gtin === undefined), {
    message: "give either epc or gtin",
    path: ["epc"],
  });

export const BasketAddBody = z.strictObject({
  gtin: GtinSchema,
  quantity: z.number().int("must be a whole number").min(1).max(1000).default(1),
});

export const PosCustomerQuery = z.strictObject({ q: z.string().max(100).default("") });
export const PosCustomerParam = z.strictObject({ customer: TopicIdSchema });

/** What a client sends (zod's input types: before trimming and defaults). */
export type PosLineRequest = z.input<typeof PosLine>;
export type CheckRequest = z.input<typeof CheckBody>;
export type SaleRequest = z.input<typeof SaleBody>;
export type OverrideRequest = z.input<typeof OverrideBody>;
export type BelowCostOverrideRequest = z.input<typeof BelowCostOverride>;
export type SignInRequest = z.input<typeof SignInBody>;
export type BasketAddRequest = z.input<typeof BasketAddBody>;
export type BasketRemoveRequest = z.input<typeof BasketRemoveBody>;

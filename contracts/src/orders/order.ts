import { z } from "zod";
import { CreditFiguresSchema, CreditReasonSchema } from "../credit/sale.js";
import { IsoUtcSchema } from "../ledger/schema.js";
import { CurrencySchema } from "../money.js";
import { TopicIdSchema } from "../mqtt/topics.js";
import { EpcSchema, GtinSchema, SkuSchema } from "../stock/events.js";

/**
 * Sales orders (issue 15, business-rules.md "Orders"): placed by the ERP's
 * sales module, decided at entry by the same `decideCredit` as the counter,
 * held until the customer is back within the rules, and followed to the
 * dock. One definition for the gateway that decides them, the nodes that
 * check them at the dock door, and the pages that show them.
 */

/**
 * An order's state. `approved`, `held` and `released` are the credit
 * decision's; the others follow the goods and the invoices:
 * `partially-shipped` (some lines' units seen leaving), `shipped` (all),
 * `invoiced` (an invoice references the order), `cancelled`.
 */
export const ORDER_STATES = [
  "approved",
  "held",
  "released",
  "partially-shipped",
  "shipped",
  "invoiced",
  "cancelled",
] as const;
export const OrderStateSchema = z.enum(ORDER_STATES);
export type OrderState = z.infer<typeof OrderStateSchema>;

/**
 * States whose goods may not be assigned to a dock door: goods seen leaving
 * for them raise "goods left under credit hold". Every other state may ship
 * (an invoiced order may still be waiting for its goods; a shipped one may
 * see a second trip). A held order stays `held` whatever left under it.
 */
export const DOCK_REFUSED_ORDER_STATES: readonly OrderState[] = ["held", "cancelled"];

/** Whether the dock refuses an order in `state` (one of DOCK_REFUSED_ORDER_STATES; "unknown" is not). */
export function dockRefuses(state: string): state is "held" | "cancelled" {
  return (DOCK_REFUSED_ORDER_STATES as readonly string[]).includes(state);
}

const MinorUnitsSchema = z
  .number({ error: "must be a number of minor units (cents)" })
  .int("must be an integer of minor units (cents), not a decimal")
  .min(0, "must not be negative")
  .refine(Number.isSafeInteger, "is out of range");

/** An order number becomes an MQTT topic level (`orders/<order>`): the same alphabet as ids. */
export const OrderNumberSchema = TopicIdSchema;

/** One line of an order as the ERP sends it: a SKU or a GTIN (one of the two), quantity, unit price. */
export const OrderLineInputSchema = z
  .strictObject({
    sku: SkuSchema.optional(),
    gtin: GtinSchema.optional(),
    quantity: z.number().int("must be a whole number of units").min(1).max(1_000_000),
    unitPrice: MinorUnitsSchema,
  })
  .refine((line) => (line.sku === undefined) !== (line.gtin === undefined), {
    message: "give the product's sku or its gtin, one of the two",
  });
export type OrderLineInput = z.infer<typeof OrderLineInputSchema>;

/** `POST /api/v1/orders` (and each order of `POST /orders/import`). */
export const OrderInputSchema = z.strictObject({
  number: OrderNumberSchema,
  customer: TopicIdSchema,
  /** The day the order was taken; today (UTC) when absent. Holds are released in this order. */
  orderDate: z.iso.date().optional(),
  requestedShipDate: z.iso.date(),
  /** The site's currency when absent; another currency is refused. */
  currency: CurrencySchema.optional(),
  lines: z.array(OrderLineInputSchema).min(1, "an order has at least one line").max(500),
});
export type OrderInput = z.infer<typeof OrderInputSchema>;

/** `POST /api/v1/orders/:number/release`: a credit manager's override; the reason is mandatory. */
export const OrderReleaseBodySchema = z.strictObject({
  reason: z.string().trim().min(3, "say why this order may go (at least 3 characters)").max(300),
});

/** `POST /api/v1/orders/:number/cancel`. */
export const OrderCancelBodySchema = z.strictObject({
  reason: z.string().trim().max(300).optional(),
});

/** A line as the gateway answers it: the product resolved, and what left and what was billed. */
export const OrderLineSchema = z.object({
  sku: z.string().nullable().describe("null: the GTIN is in no product of the catalog"),
  gtin: z.string().nullable(),
  name: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  lineTotal: z.number().int(),
  shipped: z.number().int().describe("units seen leaving through a dock portal for this order"),
  invoiced: z.number().int().describe("units billed by invoices referencing this order"),
});

/** One step of an order's life, from the gateway ledger. */
export const OrderEventSchema = z.object({
  at: z.string(),
  state: OrderStateSchema,
  /** "token:…", "user:…" or "system:credit" (an automatic release). */
  by: z.string(),
  reason: z.string().optional(),
  /** The exposure before and after the step (overrides and releases). */
  exposureBefore: z.number().int().optional(),
  exposureAfter: z.number().int().optional(),
  /** The gateway ledger entry that records the step. */
  seq: z.number().int().optional(),
});

/** `GET /api/v1/orders/:number`, and each order of `GET /api/v1/orders`. */
export const OrderSchema = z.object({
  number: z.string(),
  customer: z.string(),
  customerName: z.string(),
  orderDate: z.string(),
  requestedShipDate: z.string(),
  currency: z.string(),
  total: z.number().int(),
  state: OrderStateSchema,
  /** The credit decision at entry, or at the last release attempt: reasons itemised as at a counter. */
  credit: z.object({
    decision: z.enum(["approve", "block"]),
    reasons: z.array(CreditReasonSchema),
    figures: CreditFiguresSchema,
    /**
     * Held orders: the smallest payment that would release this order now
     * (with the orders before it), or null when paying cannot release it
     * (no credit, overdue items still over the floor, on hold).
     */
    toRelease: z.number().int().nullable(),
  }),
  lines: z.array(OrderLineSchema),
  history: z.array(OrderEventSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderView = z.infer<typeof OrderSchema>;

/** `GET /api/v1/orders?state=&customer=`: held orders first, then newest first. */
export const OrderListSchema = z.object({
  orders: z.array(OrderSchema),
  counts: z.record(OrderStateSchema, z.number().int()).describe("orders per state, all customers"),
});

/**
 * `comptoir/<site>/orders/<order>`, retained, gateway → nodes: what the dock
 * needs to refuse a held order and to raise an alert when its goods leave
 * anyway, online or not.
 */
export const OrderStateMessageSchema = z.strictObject({
  order: OrderNumberSchema,
  customer: TopicIdSchema,
  customerName: z.string().max(200),
  state: OrderStateSchema,
  /** Why it is held (the credit decision's blocking reasons); empty otherwise. */
  reasons: z.array(CreditReasonSchema).max(10),
  /** Increases with every change of this order: a node keeps the highest it has seen. */
  version: z.number().int().min(1),
  asOf: IsoUtcSchema,
});
export type OrderStateMessage = z.infer<typeof OrderStateMessageSchema>;

export const HOLD_BREACH_TYPE = "hold-breach";
/**
 * Node entry type "hold-breach": goods assigned to an order the dock may not
 * ship (held, cancelled, or unknown to the node) were seen leaving. The
 * movements are recorded as they happened; this entry records that the
 * dock raised the alert, with what the node knew then.
 */
export const HoldBreachDataSchema = z.strictObject({
  order: OrderNumberSchema,
  customer: TopicIdSchema.nullable(),
  /** The order's state in the node's cache when the goods left; "unknown": never heard of. */
  state: z.enum(["held", "cancelled", "unknown"]),
  reasons: z.array(CreditReasonSchema).max(10),
  /** The first item seen leaving; the others are in the movements around this entry. */
  epc: EpcSchema,
  /** The order state's version the node held (0 when unknown). */
  version: z.number().int().min(0),
  offline: z.boolean(),
  at: IsoUtcSchema,
});
export type HoldBreachData = z.infer<typeof HoldBreachDataSchema>;

/**
 * One "goods left under credit hold" the gateway raised (its `order.hold-breach`
 * ledger entry), as `GET /dashboard/hold-breaches` lists them for the pages
 * opened after the live alert: newest first.
 */
export const HoldBreachViewSchema = z.object({
  /** The gateway ledger entry that records it. */
  seq: z.number().int(),
  at: z.string(),
  order: z.string(),
  customer: z.string(),
  customerName: z.string().nullable(),
  /** The order's state at the gateway when the goods left ("unknown": never placed). */
  state: z.string(),
  items: z.number().int(),
  /** The node whose dock portal saw them leave. */
  node: z.string(),
});
export type HoldBreachView = z.infer<typeof HoldBreachViewSchema>;
export const HoldBreachListSchema = z.object({ breaches: z.array(HoldBreachViewSchema) });

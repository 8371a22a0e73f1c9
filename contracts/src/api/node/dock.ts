import { z } from "zod";
import { CreditReasonSchema } from "../../credit/sale.js";
import { OrderStateSchema } from "../../orders/order.js";

/**
 * What a node's dock knows of the order it is assigned (issue 15), from the
 * retained `orders/<order>` states it received and kept: the page shows it
 * next to the order, and a held or cancelled one is refused at the door.
 */
export const DockOrderStateSchema = z.object({
  /** "unknown": the node never received a state for this order. */
  state: z.union([OrderStateSchema, z.literal("unknown")]),
  customer: z.string().nullable(),
  customerName: z.string().nullable(),
  /** Why it is held (the gateway's credit decision); empty otherwise. */
  reasons: z.array(CreditReasonSchema),
  /** The state's version the node holds; 0 when unknown. */
  version: z.number().int().min(0),
  asOf: z.string().nullable(),
});
export type DockOrderState = z.infer<typeof DockOrderStateSchema>;

/**
 * A node alert pages show at once as a banner (`alert` live event), and to a
 * page opened later (`GET /node` keeps the last few): goods seen leaving
 * under an order the dock may not ship.
 */
export const NodeAlertSchema = z.object({
  kind: z.literal("hold-breach"),
  /** The banner's text: "goods left under credit hold: SO-… (customer) — reasons". */
  message: z.string(),
  order: z.string(),
  customer: z.string().nullable(),
  customerName: z.string().nullable(),
  state: z.enum(["held", "cancelled", "unknown"]),
  reasons: z.array(CreditReasonSchema),
  offline: z.boolean(),
  at: z.string(),
  /** The `hold-breach` ledger entry that records it. */
  seq: z.number().int(),
});
export type NodeAlert = z.infer<typeof NodeAlertSchema>;

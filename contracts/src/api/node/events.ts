import { z } from "zod";
import { NodeAlertSchema } from "./dock.js";
import { PricedBasketSchema } from "./pos-responses.js";
import {
  DockOrderSchema,
  NodeReadSchema,
  NodeRoleSchema,
  NodeStockRowSchema,
  RecordedMovementSchema,
} from "./responses.js";

/**
 * The live events pages read: `GET /events` (each read, scan, movement and
 * stock change; `hello` first, `resync` when the page fell behind) and
 * `GET /pos/events` (basket, credit, link). The SSE event name is `type`.
 */

export const NodeEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("read"), read: NodeReadSchema }),
  z.object({ type: z.literal("scan"), read: NodeReadSchema }),
  z.object({ type: z.literal("movement"), movement: RecordedMovementSchema }),
  z.object({ type: z.literal("stock"), rows: z.array(NodeStockRowSchema) }),
  z.object({ type: z.literal("alert"), alert: NodeAlertSchema }),
  z.object({ type: z.literal("dock"), dock: DockOrderSchema }),
]);
export type NodeEventView = z.infer<typeof NodeEventSchema>;

/** The first event of `GET /events`. */
export const NodeHelloSchema = z.object({ node: z.string(), role: NodeRoleSchema });

export const PosEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("basket"), basket: PricedBasketSchema }),
  z.object({ type: z.literal("credit"), customer: z.string() }),
  z.object({ type: z.literal("link"), online: z.boolean() }),
]);
export type PosEventView = z.infer<typeof PosEventSchema>;

/** The first event of `GET /pos/events`. */
export const PosHelloSchema = z.object({ online: z.boolean() });

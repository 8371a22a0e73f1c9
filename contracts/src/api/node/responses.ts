import { z } from "zod";
import { SiteFormatSchema } from "../../site-format.js";
import { MovementDataSchema } from "../../stock/events.js";
import { DockOrderStateSchema, NodeAlertSchema } from "./dock.js";

/**
 * What the node's local API answers (stock, tags, dock, station, health):
 * the node's routes check their answers against these types (`satisfies`),
 * and the node's pages read them with the same types.
 */

export const NodeRoleSchema = z.enum(["portal", "shelf", "counter", "station"]);

export const DockOrderSchema = z.object({
  order: z.string().nullable(),
  customer: z.string().nullable(),
  /** What the node knows of the order's state (issue 15); null when no order is set. */
  state: DockOrderStateSchema.nullable().optional(),
});
export type DockOrder = z.infer<typeof DockOrderSchema>;

/** `GET /node`. */
export const NodeInfoSchema = z.object({
  node: z.string(),
  role: NodeRoleSchema,
  zones: z.array(z.string()),
  dock: DockOrderSchema,
  /** The node's latest alerts, newest first (goods left under credit hold). */
  alerts: z.array(NodeAlertSchema).optional(),
  /**
   * How the pages write money and dates: the gateway's site locale and
   * currency once the node heard them (`source: "gateway"`), its own config's before.
   */
  format: SiteFormatSchema.extend({ source: z.enum(["node", "gateway"]) }),
});
export type NodeInfo = z.infer<typeof NodeInfoSchema>;

/** The GS1 identity decoded from a tag's EPC; only what pages show is named. */
export const TagIdentitySchema = z.object({
  scheme: z.string(),
  gtin: z.string().optional(),
  uri: z.string(),
});

/** One tag read as the node records it. */
export const NodeReadSchema = z.object({
  epc: z.string(),
  identity: TagIdentitySchema.optional(),
  antenna: z.number(),
  rssi: z.number().optional(),
  frequency: z.number().optional(),
  readerTime: z.number().optional(),
  hostTime: z.string(),
  reader: z.string(),
  /** The zone of the reader's antenna, from the node's config; absent for an antenna it does not map. */
  zone: z.string().optional(),
});
export type NodeRead = z.infer<typeof NodeReadSchema>;

/** A movement as the ledger recorded it, with its entry's seq. */
export const RecordedMovementSchema = MovementDataSchema.extend({ seq: z.number().int() });
export type RecordedMovementView = z.infer<typeof RecordedMovementSchema>;

export const NodeStockRowSchema = z.object({
  sku: z.string().nullable(),
  gtin: z.string().optional(),
  zone: z.string(),
  count: z.number(),
});
export type NodeStockRow = z.infer<typeof NodeStockRowSchema>;

/** `GET /stock`. */
export const NodeStockSchema = z.object({ rows: z.array(NodeStockRowSchema) });
export type NodeStock = z.infer<typeof NodeStockSchema>;
/** `GET /reads/recent`. */
export const RecentReadsSchema = z.object({ reads: z.array(NodeReadSchema) });
export type RecentReads = z.infer<typeof RecentReadsSchema>;
/** `GET /movements/recent`. */
export const RecentMovementsSchema = z.object({ movements: z.array(RecordedMovementSchema) });
export type RecentMovements = z.infer<typeof RecentMovementsSchema>;
/** `GET /products`: the node's cached catalog, as far as pages name products (empty without one). */
export const NodeProductsSchema = z.object({
  products: z.array(z.object({ sku: z.string(), name: z.string(), gtins: z.array(z.string()) })),
});
export type NodeProducts = z.infer<typeof NodeProductsSchema>;
/** `GET /zones`. */
export const ZonesSchema = z.object({ zones: z.array(z.string()) });
export type Zones = z.infer<typeof ZonesSchema>;

export const UnknownTagSchema = z.object({ epc: z.string(), zone: z.string().nullable() });
export type UnknownTag = z.infer<typeof UnknownTagSchema>;
/** `GET /tags/unknown`. */
export const UnknownTagsSchema = z.object({ tags: z.array(UnknownTagSchema) });
export type UnknownTags = z.infer<typeof UnknownTagsSchema>;

/** `GET /tags/:epc`: where a tag is and its last movements, newest first. */
export const TagInfoSchema = z.object({
  epc: z.string(),
  identity: TagIdentitySchema.optional(),
  place: z
    .object({
      sku: z.string().nullable(),
      gtin: z.string().optional(),
      zone: z.string().nullable(),
    })
    .nullable(),
  movements: z.array(RecordedMovementSchema),
});
export type TagInfo = z.infer<typeof TagInfoSchema>;

/** `POST /tags/commission`. */
export const CommissionedSchema = z.object({
  epc: z.string(),
  sku: z.string(),
  gtin: z.string().optional(),
  seq: z.number().int().nullable(),
  unchanged: z.boolean().optional(),
});
export type Commissioned = z.infer<typeof CommissionedSchema>;

/** `POST /station/move`. */
export const MovedSchema = z.object({
  zone: z.string(),
  moved: z.array(z.string()),
  skipped: z.array(z.string()),
  seqs: z.array(z.number().int()),
});
export type Moved = z.infer<typeof MovedSchema>;

/** `POST /station/assign`. */
export const AssignedSchema = z.object({
  order: z.string(),
  customer: z.string().nullable(),
  zone: z.string(),
  assigned: z.array(z.string()),
  seqs: z.array(z.number().int()),
});
export type Assigned = z.infer<typeof AssignedSchema>;

/** `POST /station/cycle-count`. */
export const CycleCountedSchema = z.object({
  zone: z.string(),
  expected: z.number().int(),
  seen: z.number().int(),
  missing: z.array(z.string()),
  unexpected: z.array(z.string()),
  adjustments: z.number().int(),
});
export type CycleCounted = z.infer<typeof CycleCountedSchema>;

/** `GET /health` (200 and 503): each part's state; `chain` says what the gateway lacks. */
export const NodeHealthSchema = z.object({
  ok: z.boolean(),
  node: z.string(),
  role: NodeRoleSchema,
  parts: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
export type NodeHealthView = z.infer<typeof NodeHealthSchema>;

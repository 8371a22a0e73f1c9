import { z } from "zod";
import { IsoUtcSchema, LedgerEntrySchema } from "../ledger/schema.js";
import { CurrencySchema } from "../money.js";
import { TopicIdSchema } from "./topics.js";

/**
 * Payloads of the MQTT topics in interfaces.md. Every payload is JSON checked by these.
 * What the gateway sends to nodes (ack, cmd, credit, catalog) also carries `sig`, its
 * Ed25519 signature (see signed.ts); a node checks and removes it before these schemas.
 */

const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const MinorUnitsSchema = z.number().int().refine(Number.isSafeInteger, "is out of range");

/** `node/<node>/ledger`: consecutive entries of the node's chain. */
export const LedgerBatchSchema = z
  .strictObject({
    node: TopicIdSchema,
    entries: z.array(LedgerEntrySchema).min(1).max(10_000),
  })
  .superRefine((batch, ctx) => {
    batch.entries.forEach((entry, index) => {
      if (entry.chain !== batch.node) {
        ctx.addIssue({
          code: "custom",
          path: ["entries", index, "chain"],
          message: `must be "${batch.node}"`,
        });
      }
      const first = batch.entries[0] as { seq: number };
      if (entry.seq !== first.seq + index) {
        ctx.addIssue({
          code: "custom",
          path: ["entries", index, "seq"],
          message: `must be ${first.seq + index}: a batch holds consecutive entries`,
        });
      }
    });
  });
export type LedgerBatch = z.infer<typeof LedgerBatchSchema>;

/** `node/<node>/ack`: what the gateway stored, or where the node must resend from. */
export const AckSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ack"), seq: SeqSchema }),
  z.strictObject({
    type: z.literal("resend"),
    from: SeqSchema.min(1),
    reason: z.string().max(500).optional(),
  }),
]);
export type Ack = z.infer<typeof AckSchema>;

export const ReaderStateSchema = z.strictObject({
  id: TopicIdSchema,
  state: z.enum(["starting", "reading", "degraded", "stopped"]),
  detail: z.string().max(500).optional(),
});

/** `node/<node>/status`, retained; the last will is the `offline` form. */
export const NodeStatusSchema = z.discriminatedUnion("state", [
  z.strictObject({
    state: z.literal("online"),
    node: TopicIdSchema,
    version: z.string().min(1).max(64),
    headSeq: SeqSchema,
    ackedSeq: SeqSchema,
    readers: z.array(ReaderStateSchema).max(64),
    ts: IsoUtcSchema,
  }),
  z.strictObject({ state: z.literal("offline"), node: TopicIdSchema }),
]);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

/** The site's credit policy (business-rules.md, "Credit exposure and the decision at the counter"). */
export const CreditPolicySchema = z.strictObject({
  /** What is overdue for more than `overdueDays` blocks only above this floor (rounding residues). */
  overdueFloor: MinorUnitsSchema.min(0),
  /**
   * Items MORE than this many days past due count toward the floor; items
   * this late or less do not, however large.
   */
  overdueDays: z.number().int().min(0).max(3650),
  /** Offline, a snapshot older than this blocks on-account sales. */
  offlineMaxAgeSeconds: z.number().int().min(0),
  /** Offline, the most a node sells on account per customer since the snapshot. */
  offlineCap: MinorUnitsSchema.min(0),
  /** Approve with a warning when available credit after the sale is under this. */
  warnBand: MinorUnitsSchema.min(0),
});
export type CreditPolicy = z.infer<typeof CreditPolicySchema>;

/**
 * The most overdue items a snapshot lists. A customer with more keeps the
 * oldest: the rest are due no earlier than the last one listed, and a
 * counter counts their sum (`overdue` less the listed items) as if it were
 * as late as that last one. It can only count them earlier than they are,
 * so it never approves what the exact rule would block.
 */
export const OVERDUE_ITEMS_MAX = 500;

/** One open invoice (or instalment) past its due date, as a counter needs it to age it by itself. */
export const OverdueItemSchema = z.strictObject({
  invoice: z.string().min(1).max(64),
  /** What remains to be paid of it, in minor units. */
  open: MinorUnitsSchema.min(0),
  dueDate: z.iso.date(),
});
export type OverdueItem = z.infer<typeof OverdueItemSchema>;

/** `credit/<customer>`, retained: what a counter node needs to decide offline. */
export const CreditSnapshotSchema = z.strictObject({
  customer: TopicIdSchema,
  name: z.string().max(200),
  currency: CurrencySchema,
  limit: MinorUnitsSchema.nullable().describe("null when the customer's credit is unlimited"),
  outstanding: MinorUnitsSchema,
  overdue: MinorUnitsSchema,
  status: z.enum(["ok", "warn", "blocked", "on-hold"]),
  /** Due date of the oldest overdue item, when any: the counter applies the overdue rule from it. */
  overdueSince: z.iso.date().nullable().default(null),
  /**
   * The overdue items, oldest due first: the counter counts those more than
   * the policy's days late by itself, offline too. Absent from an older
   * gateway's snapshot: the counter then falls back to `overdue` and `overdueSince`.
   */
  overdueItems: z.array(OverdueItemSchema).max(OVERDUE_ITEMS_MAX).optional(),
  /** The site's credit policy as of this snapshot, so a counter decides offline by the same rules. */
  policy: CreditPolicySchema.optional(),
  version: SeqSchema,
  asOf: IsoUtcSchema,
});
export type CreditSnapshot = z.infer<typeof CreditSnapshotSchema>;

/** `catalog`, retained: products, prices and the next unit's cost. */
export const CatalogSchema = z.strictObject({
  version: SeqSchema,
  currency: CurrencySchema,
  asOf: IsoUtcSchema,
  products: z
    .array(
      z.strictObject({
        sku: z.string().min(1).max(64),
        gtin: z
          .string()
          .regex(/^\d{14}$/, "must be a 14-digit GTIN")
          .optional(),
        /** The product's other GTINs (other pack sizes, a new label). */
        gtins: z
          .array(z.string().regex(/^\d{14}$/, "must be a 14-digit GTIN"))
          .max(64)
          .optional(),
        name: z.string().max(200),
        unitPrice: MinorUnitsSchema,
        /**
         * The cost of the product's next unit, in minor units (the gateway's
         * valuation, else the catalog cost): a counter warns on a line priced
         * under it. Absent (an older gateway, or no cost known): never warns.
         */
        unitCost: MinorUnitsSchema.min(0).optional(),
      }),
    )
    .max(100_000),
});
export type Catalog = z.infer<typeof CatalogSchema>;

/** `node/<node>/cmd`: what the gateway asks a node to do. */
export const NodeCommandSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("resend"), from: SeqSchema.min(1) }),
  z.strictObject({ type: z.literal("reload-config") }),
  z.strictObject({
    type: z.literal("readers"),
    action: z.enum(["start", "stop"]),
    reader: TopicIdSchema.optional(),
  }),
  z.strictObject({
    type: z.literal("dock-order"),
    order: z.string().max(64).nullable(),
    customer: TopicIdSchema.nullable(),
  }),
  /**
   * The gateway will store nothing of this node's chain from `seq` on (issue 13, item 16):
   * it marked the chain broken there, or (`scope: "local"`) the node's own copy no longer
   * matches the entry the gateway holds. The node reports `broken` until an operator acts.
   */
  z.strictObject({
    type: z.literal("broken"),
    seq: SeqSchema.min(1),
    reason: z.string().min(1).max(500),
    scope: z.enum(["chain", "local"]).default("chain"),
  }),
]);
export type NodeCommand = z.infer<typeof NodeCommandSchema>;

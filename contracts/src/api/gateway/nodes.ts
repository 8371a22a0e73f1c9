import { z } from "zod";

/**
 * A node's clock as the gateway sees it: the skew measured on its last live
 * status (its `ts` when sent − the gateway's receive time, so MQTT latency
 * counts in it: good to about a second, not to the millisecond) and whether
 * it passes the site's threshold (`ingest.clockSkewSeconds`).
 */
export const NodeClockSchema = z.strictObject({
  skewMs: z
    .number()
    .int()
    .nullable()
    .describe(
      "node clock − gateway clock, in ms; positive when the node is ahead; null until measured",
    ),
  measuredAt: z.string().nullable().describe("the gateway's time of the status it was measured on"),
  flagged: z.boolean().describe("|skew| is over the threshold: the node's times are not trusted"),
  since: z.string().nullable().describe("when the current flag was raised; null when not flagged"),
  thresholdMs: z.number().int(),
});
export type NodeClock = z.infer<typeof NodeClockSchema>;

/** A node as GET /api/v1/nodes and /nodes/:id show it (and the dashboard's Nodes page reads it). */
export const NodeViewSchema = z.strictObject({
  id: z.string(),
  publicKey: z.string(),
  enrolledAt: z.string(),
  status: z.enum(["online", "offline", "unknown"]),
  lastSeen: z.string().nullable(),
  headSeq: z.number().int().nullable().describe("the head the node last reported; null if never"),
  verifiedSeq: z.number().int().describe("the last seq the gateway verified and stored"),
  chain: z.discriminatedUnion("state", [
    z.strictObject({ state: z.literal("ok") }),
    z.strictObject({
      state: z.literal("broken"),
      seq: z.number().int(),
      reason: z.string(),
      detail: z.string(),
    }),
  ]),
  readers: z.array(z.unknown()).optional(),
  version: z.string().optional(),
  clock: NodeClockSchema.optional(),
});
export type NodeView = z.infer<typeof NodeViewSchema>;

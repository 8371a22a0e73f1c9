import { z } from "zod";

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
});
export type NodeView = z.infer<typeof NodeViewSchema>;

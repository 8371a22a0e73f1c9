import { z } from "zod";
import { RecordedDecisionSchema } from "./pos-responses.js";

/**
 * The one error shape of the node's API: `problems` lists every input problem
 * of a 400; a blocked sale also carries the recorded credit decision.
 */
export const NodeErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    path: z.string().optional(),
    problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
  decision: RecordedDecisionSchema.optional(),
});
export type NodeErrorBody = z.infer<typeof NodeErrorBodySchema>;

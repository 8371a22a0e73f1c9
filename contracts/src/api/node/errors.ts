import { z } from "zod";
import { ErrorBodySchema } from "../../http/errors.js";
import { RecordedDecisionSchema } from "./pos-responses.js";

/**
 * The node's API answers errors in the one shape of both APIs (a 400 lists
 * every input problem); a blocked sale also carries the recorded credit decision.
 */
export const NodeErrorBodySchema = z.object({
  error: ErrorBodySchema.shape.error,
  decision: RecordedDecisionSchema.optional(),
});
export type NodeErrorBody = z.infer<typeof NodeErrorBodySchema>;

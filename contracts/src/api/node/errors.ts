import { z } from "zod";
import { CreditReasonSchema, SaleBelowCostSchema } from "../../credit/sale.js";
import { ErrorBodySchema } from "../../http/errors.js";
import { RecordedDecisionSchema } from "./pos-responses.js";

/**
 * The node's API answers errors in the one shape of both APIs (a 400 lists
 * every input problem); a blocked sale also carries the recorded credit decision,
 * and a dock order refused for a credit hold (`order_held`) the hold's reasons.
 */
export const NodeErrorBodySchema = z.object({
  error: ErrorBodySchema.shape.error.extend({
    reasons: z.array(CreditReasonSchema).optional(),
  }),
  decision: RecordedDecisionSchema.optional(),
  /** `below_cost`: the lines under cost that blocked the sale. */
  belowCost: SaleBelowCostSchema.optional(),
});
export type NodeErrorBody = z.infer<typeof NodeErrorBodySchema>;

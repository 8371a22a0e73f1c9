import type { CreditDecision, SaleBelowCost } from "@comptoir/contracts";

/**
 * A POS request that was well formed but not done: nothing was sold and no
 * stock changed (a credit decision may have been recorded: every decision is).
 * `status`: 422 business refusal, 403 wrong PIN, 429 too many wrong PINs.
 */
export class PosRefusal extends Error {
  constructor(
    readonly status: 403 | 422 | 429,
    readonly code: string,
    message: string,
    readonly path?: string,
    /** The recorded decision, when the refusal is a credit block. */
    readonly decision?: CreditDecision & { seq: number },
    readonly retryAfterSeconds?: number,
    /** `below_cost`: the lines under cost that blocked the sale. */
    readonly belowCost?: SaleBelowCost,
  ) {
    super(message);
    this.name = "PosRefusal";
  }
}

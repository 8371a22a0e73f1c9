/** The node's HTTP errors: the shared kit's error shape, plus the node's business refusal. */
import type { CreditReason, NodeErrorBody } from "@comptoir/contracts";
import { errorBody } from "@comptoir/contracts/http";

export { type ErrorBody, errorBody, sendError } from "@comptoir/contracts/http";

/**
 * A refusal on business grounds (422): the request was well formed, but
 * nothing was done. A credit hold's refusal carries the hold's reasons.
 */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly reasons?: CreditReason[],
  ) {
    super(message);
    this.name = "Refusal";
  }

  /** The 422 body: the shared error shape, with the reasons when there are any. */
  body(): NodeErrorBody {
    const { error } = errorBody(this.code, this.message, this.path);
    return { error: { ...error, ...(this.reasons ? { reasons: this.reasons } : {}) } };
  }
}

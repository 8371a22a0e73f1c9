/** The node's HTTP errors: the shared kit's error shape, plus the node's business refusal. */
export { type ErrorBody, errorBody, sendError } from "@comptoir/contracts/http";

/** A refusal on business grounds (422): the request was well formed, but nothing was done. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "Refusal";
  }
}

import {
  ReceivablesConflictError,
  ReceivablesNotFoundError,
  ReceivablesRuleError,
} from "../../receivables/receivables.js";
import { ApiError } from "../errors.js";

/** Runs a receivables change, turning its refusals into 409 and 422 answers. */
export function recordOrRefuse<T>(record: () => T): T {
  try {
    return record();
  } catch (error) {
    if (error instanceof ReceivablesConflictError) {
      throw new ApiError(409, "conflict", error.message, error.path);
    }
    if (error instanceof ReceivablesNotFoundError) {
      throw new ApiError(404, "not_found", error.message, error.path);
    }
    if (error instanceof ReceivablesRuleError) {
      throw new ApiError(422, "rule_refused", error.message, error.path);
    }
    throw error;
  }
}

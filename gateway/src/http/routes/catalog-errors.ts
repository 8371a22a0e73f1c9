import { CatalogConflictError, CatalogRuleError } from "../../catalog/errors.js";
import { ApiError } from "../errors.js";

/** Runs a catalog change, turning its refusals into 409 and 422 answers. */
export function saveOrRefuse<T>(save: () => T): T {
  try {
    return save();
  } catch (error) {
    if (error instanceof CatalogConflictError) {
      throw new ApiError(409, "conflict", error.message, error.path);
    }
    if (error instanceof CatalogRuleError) {
      throw new ApiError(422, "rule_refused", error.message, error.path);
    }
    throw error;
  }
}

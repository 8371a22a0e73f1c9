/** A business rule refused the change (HTTP 422); nothing was written. */
export class CatalogRuleError extends Error {
  override name = "CatalogRuleError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The change conflicts with what is stored (HTTP 409); nothing was written. */
export class CatalogConflictError extends Error {
  override name = "CatalogConflictError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

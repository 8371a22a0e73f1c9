import type { VerifyReason } from "@comptoir/contracts";

/** The ledger on disk fails verification: the node refuses to start rather than repair it. */
export class LedgerDamagedError extends Error {
  override name = "LedgerDamagedError";

  constructor(
    readonly dir: string,
    readonly seq: number,
    readonly reason: VerifyReason,
    readonly detail: string,
  ) {
    super(
      `ledger ${dir} is broken at seq ${seq}: ${reason} (${detail}); refusing to start. ` +
        `Nothing was changed: inspect it with "comptoir audit verify ${dir}" and restore the ledger from a backup.`,
    );
  }
}

/** A write or fsync failed: what was appended since the last durable point may be lost. */
export class LedgerFailedError extends Error {
  override name = "LedgerFailedError";
}

export class LedgerClosedError extends Error {
  override name = "LedgerClosedError";

  constructor() {
    super("the ledger is closed");
  }
}

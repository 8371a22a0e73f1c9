import type { InputProblem } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import { ReceivablesConflictError, ReceivablesRuleError } from "./queries.js";

/** Some records of a file were refused: every refusal, and nothing was stored. */
export class ImportRefused extends Error {
  override name = "ImportRefused";
  constructor(
    /** 409 when any record conflicts with what is stored, else 422. */
    readonly status: 409 | 422,
    readonly problems: InputProblem[],
  ) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more, see problems)` : "";
    super(`${first?.message ?? "refused"}${more} — nothing imported`);
  }
}

/** Thrown to roll a dry run back; carries what the real run would have answered. */
class DryRun<R> extends Error {
  constructor(readonly results: R[]) {
    super("dry run");
  }
}

export interface BatchOptions<R> {
  /** Check everything against the store exactly as for real, then roll back. */
  dryRun: boolean;
  /** Runs last in the same transaction: the import's own ledger entry. */
  finish: (results: R[]) => void;
  /** Wraps the transaction: the change feed's `hold`, so listeners hear of a committed batch only. */
  around: <T>(work: () => T) => T;
}

/**
 * Records every item of a file in one transaction, all or nothing. Each
 * record runs in its own savepoint, so that a refused one is undone and the
 * rest are still tried: the refusal lists every problem at once (located as
 * `[index].field` in the file's items, the message naming the item), not
 * only the first.
 */
export function recordBatch<T, R>(
  db: Database,
  items: readonly T[],
  label: (item: T, index: number) => string,
  record: (item: T) => R,
  options: BatchOptions<R>,
): R[] {
  try {
    return options.around(() =>
      db.transaction(() => {
        const results: R[] = [];
        const problems: InputProblem[] = [];
        let conflict = false;
        items.forEach((item, index) => {
          try {
            results.push(db.transaction(() => record(item))());
          } catch (error) {
            if (
              !(error instanceof ReceivablesConflictError || error instanceof ReceivablesRuleError)
            )
              throw error;
            conflict ||= error instanceof ReceivablesConflictError;
            problems.push({
              path: `[${index}]${error.path ? `.${error.path}` : ""}`,
              message: `${label(item, index)}: ${error.message}`,
            });
          }
        });
        if (problems.length > 0) throw new ImportRefused(conflict ? 409 : 422, problems);
        options.finish(results);
        if (options.dryRun) throw new DryRun(results);
        return results;
      })(),
    );
  } catch (error) {
    if (error instanceof DryRun) return error.results as R[];
    throw error;
  }
}

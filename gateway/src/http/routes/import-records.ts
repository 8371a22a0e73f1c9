import type { InputProblem } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { Context } from "hono";
import { ReceivablesConflictError, ReceivablesRuleError } from "../../receivables/receivables.js";
import { errorBody } from "../errors.js";

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

/**
 * Records every item of a file in one transaction, all or nothing. Each
 * record runs in its own savepoint, so that a refused one is undone and the
 * rest are still tried: the answer lists every refusal at once (located as
 * `[index].field` in the file's items, the message naming the item), not
 * only the first. `finish` runs last in the same transaction (the import's
 * own ledger entry). With `dryRun`, everything is checked against the store
 * exactly as for real, then rolled back.
 */
export function recordEvery<T, R>(
  db: Database,
  items: readonly T[],
  label: (item: T, index: number) => string,
  record: (item: T) => R,
  options: { dryRun: boolean; finish: (results: R[]) => void },
): R[] {
  try {
    return db.transaction(() => {
      const results: R[] = [];
      const problems: InputProblem[] = [];
      let conflict = false;
      items.forEach((item, index) => {
        try {
          results.push(db.transaction(() => record(item))());
        } catch (error) {
          if (!(error instanceof ReceivablesConflictError || error instanceof ReceivablesRuleError))
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
    })();
  } catch (error) {
    if (error instanceof DryRun) return error.results as R[];
    throw error;
  }
}

/** The answer to a refused import: every problem, in the API's error shape. */
export function refuseImport(c: Context, refused: ImportRefused) {
  return c.json(
    errorBody(
      refused.status === 409 ? "conflict" : "rule_refused",
      refused.message,
      refused.problems[0]?.path,
      refused.problems,
    ),
    refused.status,
  );
}

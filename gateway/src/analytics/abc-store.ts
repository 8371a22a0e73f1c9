import type { AbcHistoryView, AbcReportView } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import { prepared } from "../store/prepared.js";
import type { AbcClass } from "./abc.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS abc_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_at TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  a REAL NOT NULL,
  b REAL NOT NULL
) STRICT;
-- The class of every product at every run, and the one it had at the run before (NULL: first
-- classified), so that the history of changes is one indexed read.
CREATE TABLE IF NOT EXISTS abc_classes (
  run INTEGER NOT NULL REFERENCES abc_runs (id),
  sku TEXT NOT NULL,
  class TEXT NOT NULL,
  previous TEXT,
  value INTEGER NOT NULL,
  share REAL NOT NULL,
  PRIMARY KEY (run, sku)
) STRICT;
CREATE INDEX IF NOT EXISTS abc_classes_changes ON abc_classes (run) WHERE previous IS NOT class;
`;

interface ChangeRow {
  run_at: string;
  sku: string;
  previous: AbcClass | null;
  class: AbcClass;
  value: number;
  share: number;
}

/**
 * The recorded ABC runs (on request or on schedule): each run's period and
 * thresholds and the class of every product then. History is the changes
 * only; a product's first class counts as a change from none.
 */
export class AbcStore {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  /** The classes at the last recorded run; empty before the first. */
  lastClasses(): Map<string, AbcClass> {
    const rows = prepared<[], { sku: string; class: AbcClass }>(
      this.db,
      "SELECT sku, class FROM abc_classes WHERE run = (SELECT MAX(id) FROM abc_runs)",
    ).all();
    return new Map(rows.map((row) => [row.sku, row.class]));
  }

  /** When the last run was recorded (ISO UTC), or null: never. */
  lastRunAt(): string | null {
    return (
      prepared<[], { at: string | null }>(this.db, "SELECT MAX(run_at) AS at FROM abc_runs").get()
        ?.at ?? null
    );
  }

  /**
   * Records a report as a run at `runAt`, in one transaction; each row's
   * `previous` is taken from the last run inside it (whatever the report
   * said), so two runs recorded back to back cannot both claim a change.
   * Returns the report with `previous` and `runAt` as stored.
   */
  record(report: AbcReportView, runAt: string): AbcReportView {
    return this.db.transaction(() => {
      const previous = this.lastClasses();
      const run = prepared<unknown[], { id: number }>(
        this.db,
        `INSERT INTO abc_runs (run_at, period_from, period_to, a, b) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      ).get(runAt, report.from, report.to, report.thresholds.a, report.thresholds.b);
      if (!run) throw new Error("recording an ABC run: the insert returned no id");
      const insert = prepared<unknown[], never>(
        this.db,
        `INSERT INTO abc_classes (run, sku, class, previous, value, share) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const rows = report.rows.map((row) => {
        const before = previous.get(row.sku) ?? null;
        insert.run(run.id, row.sku, row.class, before, row.value, row.share);
        return { ...row, previous: before };
      });
      return { ...report, rows, runAt };
    })();
  }

  /** The class changes, newest run first (then SKU), at most `limit`; of one product with `sku`. */
  history(filter: { sku?: string; limit?: number } = {}): AbcHistoryView {
    // Named parameters: better-sqlite3 binds a repeated one from an object, not by position.
    const rows = prepared<{ sku: string | null; limit: number }, ChangeRow>(
      this.db,
      `SELECT r.run_at, c.sku, c.previous, c.class, c.value, c.share
       FROM abc_classes c JOIN abc_runs r ON r.id = c.run
       WHERE c.previous IS NOT c.class AND (@sku IS NULL OR c.sku = @sku)
       ORDER BY c.run DESC, c.sku LIMIT @limit`,
    ).all({ sku: filter.sku ?? null, limit: filter.limit ?? 10_000 });
    return {
      changes: rows.map((row) => ({
        runAt: row.run_at,
        sku: row.sku,
        from: row.previous,
        to: row.class,
        value: row.value,
        share: row.share,
      })),
    };
  }
}

import type { InputProblem } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { InboundKind } from "./layout.js";

/**
 * Every file the drop took, in the gateway's store. An imported file's row
 * is written in the transaction of its import, so after a crash the store
 * alone says whether a file still in `inbound/` was imported (its SHA-256
 * has an `imported` row): it is then archived, never imported twice.
 * `moved_to` stays null until the file has left `inbound/`.
 */
const FILE_DROP_SCHEMA = `
CREATE TABLE IF NOT EXISTS file_drop_files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'refused', 'duplicate')),
  format TEXT,
  count INTEGER NOT NULL,
  problems TEXT NOT NULL,
  notes TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  moved_to TEXT
) STRICT;
-- One import per content and kind: the same bank export dropped twice is not two payments.
CREATE UNIQUE INDEX IF NOT EXISTS file_drop_imported ON file_drop_files (kind, sha256)
  WHERE outcome = 'imported';
CREATE INDEX IF NOT EXISTS file_drop_by_kind ON file_drop_files (kind, id);
`;

export type FileOutcome = "imported" | "refused" | "duplicate";

export interface FileRecord {
  id: number;
  kind: InboundKind;
  name: string;
  sha256: string;
  size: number;
  outcome: FileOutcome;
  format: string | null;
  /** Records imported from it (invoices, payments, orders…); 0 when refused. */
  count: number;
  problems: InputProblem[];
  notes: string[];
  takenAt: string;
  /** `archive/<name>` or `error/<name>` inside the kind's folder; null while still in inbound. */
  movedTo: string | null;
}

interface FileRow {
  id: number;
  kind: string;
  name: string;
  sha256: string;
  size: number;
  outcome: string;
  format: string | null;
  count: number;
  problems: string;
  notes: string;
  taken_at: string;
  moved_to: string | null;
}

export type NewFileRecord = Omit<FileRecord, "id">;

export class FileDropJournal {
  constructor(private readonly db: Database.Database) {
    db.exec(FILE_DROP_SCHEMA);
  }

  /** The import of this content into this kind, if there was one. */
  imported(kind: InboundKind, sha256: string): FileRecord | undefined {
    const row = this.db
      .prepare<[string, string], FileRow>(
        "SELECT * FROM file_drop_files WHERE kind = ? AND sha256 = ? AND outcome = 'imported'",
      )
      .get(kind, sha256);
    return row && toRecord(row);
  }

  /** Imports committed whose file had not left inbound/ yet: what a crash between the two leaves. */
  unmoved(kind: InboundKind): FileRecord[] {
    return this.db
      .prepare<[string], FileRow>(
        "SELECT * FROM file_drop_files WHERE kind = ? AND outcome = 'imported' AND moved_to IS NULL",
      )
      .all(kind)
      .map(toRecord);
  }

  /** Adds a row (for an import: inside the import's transaction); its id. */
  add(record: NewFileRecord): number {
    const result = this.db
      .prepare(
        `INSERT INTO file_drop_files (kind, name, sha256, size, outcome, format, count, problems, notes, taken_at, moved_to)
         VALUES (@kind, @name, @sha256, @size, @outcome, @format, @count, @problems, @notes, @takenAt, @movedTo)`,
      )
      .run({
        ...record,
        problems: JSON.stringify(record.problems),
        notes: JSON.stringify(record.notes),
      });
    return Number(result.lastInsertRowid);
  }

  /** The file has left inbound/ for `movedTo` (`archive/…` or `error/…`). */
  moved(id: number, movedTo: string): void {
    this.db.prepare("UPDATE file_drop_files SET moved_to = ? WHERE id = ?").run(movedTo, id);
  }

  /** Newest first. */
  recent(filter: { kind?: InboundKind; outcome?: FileOutcome; limit: number }): FileRecord[] {
    const rows = this.db
      .prepare<[{ kind: string | null; outcome: string | null; limit: number }], FileRow>(
        `SELECT * FROM file_drop_files
         WHERE (@kind IS NULL OR kind = @kind) AND (@outcome IS NULL OR outcome = @outcome)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ kind: filter.kind ?? null, outcome: filter.outcome ?? null, limit: filter.limit });
    return rows.map(toRecord);
  }
}

function toRecord(row: FileRow): FileRecord {
  return {
    id: row.id,
    kind: row.kind as InboundKind,
    name: row.name,
    sha256: row.sha256,
    size: row.size,
    outcome: row.outcome as FileOutcome,
    format: row.format,
    count: row.count,
    problems: JSON.parse(row.problems) as InputProblem[],
    notes: JSON.parse(row.notes) as string[],
    takenAt: row.taken_at,
    movedTo: row.moved_to,
  };
}

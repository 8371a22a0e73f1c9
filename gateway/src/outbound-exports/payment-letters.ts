import { formatDecimalMoney } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import { csvLine } from "../file-readers/csv-reader.js";
import { RECEIVABLES_SCHEMA } from "../receivables/tables.js";
import type { OutboundFolder } from "./outbound-folder.js";

export const PAYMENT_LETTERS = "payment-letters";

interface AllocationRow {
  id: number;
  letter: string;
  source: string;
  source_id: string;
  invoice: string | null;
  customer: string | null;
  amount: number;
  rule: string;
  at: string;
  undone_at: string | null;
  payment_date: string | null;
  currency: string | null;
}

interface PendingRow {
  id: number;
  file: string;
  content: string;
}

const HEADER = [
  "allocation",
  "letter",
  "status",
  "source",
  "payment",
  "payment_date",
  "invoice",
  "customer",
  "amount",
  "currency",
  "rule",
  "date",
];

/**
 * What an ERP needs to letter its own ledger: each amount matched since the
 * previous export (a payment against an invoice, a credit note against its
 * invoice, a short payment's residue written off), with its letter; and,
 * as `undone` lines, each match sent before and undone since. `payment`
 * is the payment's id (a credit note's number on a `credit-note` line).
 *
 * None is sent twice nor skipped. The cursor (the last allocation sent) and
 * the file's content are committed in one SQLite transaction, between the
 * two halves of writing the file: its empty temp file is created first,
 * then the transaction, then the content is written and renamed into view.
 * An export found pending at the next run (the gateway stopped, the disk
 * was full) is finished from the stored content: renamed if its temp file
 * is still there, left alone if the file is out — or gone, which can only
 * mean the ERP collected it after the rename. The ERP must leave
 * dot-prefixed temp files alone.
 */
export class PaymentLettersExport {
  constructor(
    private readonly db: Database,
    private readonly currency: string,
  ) {
    db.exec(RECEIVABLES_SCHEMA);
    db.exec(`CREATE TABLE IF NOT EXISTS outbound_payment_letters (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file TEXT NOT NULL UNIQUE,
      after_allocation INTEGER NOT NULL,
      up_to_allocation INTEGER NOT NULL,
      rows INTEGER NOT NULL,
      content TEXT,
      created_at TEXT NOT NULL,
      delivered_at TEXT
    ) STRICT;
    CREATE TABLE IF NOT EXISTS outbound_undone_allocations (
      allocation INTEGER PRIMARY KEY,
      export INTEGER NOT NULL
    ) STRICT;`);
  }

  /** Finishes any pending export, then writes the next one; returns its file name and line count. */
  async run(folder: OutboundFolder, at: Date): Promise<{ file: string; rows: number }> {
    await this.finishPending(folder, at);
    const file = folder.nameFor(PAYMENT_LETTERS, at, (name) => this.known(name));
    await folder.reserve(file);
    const { id, content, rows } = this.commit(file, at);
    await folder.fill(file, content);
    this.delivered(id, at);
    return { file, rows };
  }

  private async finishPending(folder: OutboundFolder, at: Date): Promise<void> {
    const pending = this.db
      .prepare<[], PendingRow>(
        "SELECT id, file, content FROM outbound_payment_letters WHERE delivered_at IS NULL ORDER BY id",
      )
      .all();
    for (const row of pending) {
      if (!folder.exists(row.file) && folder.tempExists(row.file)) {
        await folder.fill(row.file, row.content);
      }
      this.delivered(row.id, at);
    }
    // A temp file with no export recorded: the gateway stopped before committing one; nothing was sent.
    for (const name of await folder.leftTemps(PAYMENT_LETTERS)) {
      if (!this.known(name)) await folder.removeTemp(name);
    }
  }

  /** Takes the lines since the cursor and records the export that carries them, in one transaction. */
  private commit(file: string, at: Date): { id: number; content: string; rows: number } {
    return this.db.transaction(() => {
      const after =
        this.db
          .prepare<[], { up_to: number | null }>(
            "SELECT MAX(up_to_allocation) AS up_to FROM outbound_payment_letters",
          )
          .get()?.up_to ?? 0;
      const upTo =
        this.db.prepare<[], { id: number | null }>("SELECT MAX(id) AS id FROM allocations").get()
          ?.id ?? after;
      const select = `SELECT a.id, a.letter, a.source, a.source_id, a.invoice, a.customer, a.amount, a.rule, a.at, a.undone_at,
          p.date AS payment_date, p.currency AS currency
        FROM allocations a LEFT JOIN payments p ON a.source IN ('payment', 'write-off') AND p.id = a.source_id`;
      const fresh = this.db
        .prepare<[number, number], AllocationRow>(
          `${select} WHERE a.id > ? AND a.id <= ? ORDER BY a.id`,
        )
        .all(after, upTo);
      const undone = this.db
        .prepare<[number], AllocationRow>(
          `${select} WHERE a.id <= ? AND a.undone_at IS NOT NULL
             AND a.id NOT IN (SELECT allocation FROM outbound_undone_allocations) ORDER BY a.undone_at, a.id`,
        )
        .all(after);
      let content = csvLine(HEADER);
      let rows = 0;
      for (const row of fresh) {
        // Matched and undone since the last export: the ERP never heard of it, nor needs to.
        if (row.undone_at !== null) continue;
        content += this.line(row, "applied", row.at);
        rows++;
      }
      for (const row of undone) {
        content += this.line(row, "undone", row.undone_at ?? row.at);
        rows++;
      }
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO outbound_payment_letters (file, after_allocation, up_to_allocation, rows, content, created_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(file, after, upTo, rows, content, at.toISOString()).lastInsertRowid,
      );
      const told = this.db.prepare<[number, number]>(
        "INSERT OR IGNORE INTO outbound_undone_allocations (allocation, export) VALUES (?, ?)",
      );
      for (const row of [...fresh, ...undone]) if (row.undone_at !== null) told.run(row.id, id);
      return { id, content, rows };
    })();
  }

  private line(row: AllocationRow, status: "applied" | "undone", date: string): string {
    const currency = row.currency ?? this.currency;
    return csvLine([
      row.id,
      row.letter,
      status,
      row.source,
      row.source_id,
      row.payment_date,
      row.invoice,
      row.customer,
      formatDecimalMoney({ amount: row.amount, currency }),
      currency,
      row.rule,
      date,
    ]);
  }

  private known(file: string): boolean {
    return (
      this.db
        .prepare<[string], { id: number }>("SELECT id FROM outbound_payment_letters WHERE file = ?")
        .get(file) !== undefined
    );
  }

  /** The file is out: its content need not be kept. */
  private delivered(id: number, at: Date): void {
    this.db
      .prepare(
        "UPDATE outbound_payment_letters SET delivered_at = ?, content = NULL WHERE id = ? AND delivered_at IS NULL",
      )
      .run(at.toISOString(), id);
  }
}

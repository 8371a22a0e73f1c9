import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import type { Actor, GatewayLedger } from "../ledger/gateway-ledger.js";
import type { ReceivablesChanges } from "../receivables/changes.js";
import type { Letter, SentLetter } from "./dunning.js";
import { itemKey } from "./dunning.js";

/** Where reminders go: no mail server here, the back office's own tools pick them up. */
export interface LetterSink {
  readonly channel: string;
  deliver(letter: Letter & { sentAt: string }): Promise<void>;
}

/** One JSON file per letter in a directory, written tmp → fsync → rename, so a reader never sees half a letter. */
export class DirectorySink implements LetterSink {
  readonly channel: string;
  constructor(private readonly directory: string) {
    this.channel = "file";
  }

  async deliver(letter: Letter & { sentAt: string }): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const name = `${letter.sentAt.replace(/[:.]/g, "-")}_${letter.id.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`;
    const target = join(this.directory, name);
    const temporary = `${target}.tmp`;
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(`${JSON.stringify(letter, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }
}

/** POSTs each letter as JSON; anything but a 2xx is a failure and the letter stays due. */
export class WebhookSink implements LetterSink {
  readonly channel = "webhook";
  constructor(
    private readonly url: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async deliver(letter: Letter & { sentAt: string }): Promise<void> {
    const response = await this.fetcher(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(letter),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new Error(`the webhook answered ${response.status} ${response.statusText}`);
  }
}

interface LetterRow {
  customer: string;
  kind: "reminder" | "thank-you";
  level: number | null;
  items: string;
  fee: number;
  sent_at: string;
}

/** Letters sent, in the store; each one also has its "dunning.sent" gateway-ledger entry. */
export class DunningRecord {
  constructor(
    private readonly db: Database,
    private readonly ledger: GatewayLedger,
    /** Told of the customer once a letter is recorded: a letter at a blocking level changes the counters' answer. */
    private readonly changes: ReceivablesChanges,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS dunning_letters (
      id TEXT PRIMARY KEY,
      customer TEXT NOT NULL,
      kind TEXT NOT NULL,
      level INTEGER,
      level_name TEXT,
      items TEXT NOT NULL,
      fee INTEGER NOT NULL,
      total INTEGER NOT NULL,
      block_credit INTEGER NOT NULL,
      channel TEXT NOT NULL,
      sent_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS dunning_letters_customer ON dunning_letters (customer, sent_at);`);
  }

  history(): SentLetter[] {
    return this.db
      .prepare<[], LetterRow>(
        "SELECT customer, kind, level, items, fee, sent_at FROM dunning_letters ORDER BY rowid",
      )
      .all()
      .map((row) => ({
        customer: row.customer,
        kind: row.kind,
        level: row.level,
        items: JSON.parse(row.items) as string[],
        fee: row.fee,
        at: row.sent_at,
      }));
  }

  /** Customers whose last letter was at a credit-blocking level (a thank-you after payment lifts it). */
  blockedCustomers(): string[] {
    return this.db
      .prepare<[], { customer: string }>(
        `SELECT d.customer FROM dunning_letters d WHERE d.block_credit = 1 AND d.rowid = (
           SELECT MAX(x.rowid) FROM dunning_letters x WHERE x.customer = d.customer) ORDER BY d.customer`,
      )
      .all()
      .map((row) => row.customer);
  }

  wasSent(id: string): boolean {
    return (
      this.db
        .prepare<[string], { id: string }>("SELECT id FROM dunning_letters WHERE id = ?")
        .get(id) !== undefined
    );
  }

  record(letter: Letter, channel: string, sentAt: string, actor: Actor): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO dunning_letters (id, customer, kind, level, level_name, items, fee, total, block_credit, channel, sent_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          letter.id,
          letter.customer,
          letter.kind,
          letter.level,
          letter.levelName,
          JSON.stringify(letter.items.map(itemKey)),
          letter.fee,
          letter.total,
          letter.blockCredit ? 1 : 0,
          channel,
          sentAt,
        );
      this.ledger.record(
        "dunning.sent",
        {
          letter: letter.id,
          customer: letter.customer,
          kind: letter.kind,
          level: letter.level,
          levelName: letter.levelName,
          items: letter.items.map((item) => ({
            invoice: item.document,
            part: item.part ?? null,
            open: item.open,
            daysPastDue: item.daysPastDue,
          })),
          fee: letter.fee,
          total: letter.total,
          blockCredit: letter.blockCredit,
          channel,
        },
        actor,
      );
    })();
    this.changes.tell([letter.customer]);
  }
}

export interface DunningRunResult {
  sent: { id: string; customer: string; kind: string; level: string | null; channel: string }[];
  held: { id: string; customer: string; reason: string }[];
  failed: { id: string; customer: string; error: string }[];
}

/**
 * Sends the letters that are due through the sink and records each one
 * sent; held letters wait for review; a letter the sink refuses stays due
 * (nothing recorded) and the others still go.
 */
export async function sendLetters(
  letters: readonly Letter[],
  sink: LetterSink,
  record: DunningRecord,
  actor: Actor,
  now: () => Date,
): Promise<DunningRunResult> {
  const result: DunningRunResult = { sent: [], held: [], failed: [] };
  for (const letter of letters) {
    if (letter.status === "held") {
      result.held.push({
        id: letter.id,
        customer: letter.customer,
        reason: letter.holdReason ?? "held",
      });
      continue;
    }
    if (record.wasSent(letter.id)) continue;
    const sentAt = now().toISOString();
    try {
      await sink.deliver({ ...letter, sentAt });
    } catch (error) {
      result.failed.push({
        id: letter.id,
        customer: letter.customer,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    record.record(letter, sink.channel, sentAt, actor);
    result.sent.push({
      id: letter.id,
      customer: letter.customer,
      kind: letter.kind,
      level: letter.levelName,
      channel: sink.channel,
    });
  }
  return result;
}

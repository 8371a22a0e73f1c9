import type { WebhookEventData } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";
import type { LiveEvents } from "../live/events.js";
import type { WebhookSink } from "../webhooks/node-events.js";
import type { Discrepancy } from "./types.js";

interface OpenRow {
  id: string;
  kind: Discrepancy["kind"];
  order_no: string | null;
  customer: string | null;
  sku: string | null;
  opened_at: string;
  resolved_at: string | null;
  /** The discrepancy's own start (its first read or invoice date). */
  since: string | null;
  /** 1 once a complete run (the site's grace) listed it. */
  complete: number;
}

const DAY_MS = 86_400_000;

/**
 * Remembers which discrepancies were already announced, so that each one is
 * pushed on the live feed and sent to the ERP (`discrepancy.opened`) once,
 * however often reconciliation runs (on request, or on a timer). The ids
 * are stable: a gap that changes (one more item shipped) is a new
 * discrepancy. A complete run (no filter, the site's grace, as of now)
 * also tells which open ones are gone (`discrepancy.resolved`); a gap that
 * comes back opens again. One opened by a look with a shorter grace, that
 * no complete run has listed yet, may only be hidden by the grace: it is
 * resolved once the grace has passed without a complete run finding it,
 * not at the next run (which would open and resolve it again and again).
 */
export class DiscrepancyAnnouncer {
  private readonly known;
  private readonly remember;
  private readonly openOf;
  private readonly open;
  private readonly reopen;
  private readonly stillOpen;
  private readonly resolve;
  private readonly seenComplete;

  constructor(
    private readonly db: Database,
    private readonly events: LiveEvents,
    private readonly webhooks?: WebhookSink,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS discrepancies_announced (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS discrepancies_open (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        order_no TEXT,
        customer TEXT,
        sku TEXT,
        opened_at TEXT NOT NULL,
        resolved_at TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS discrepancies_still_open ON discrepancies_open (id) WHERE resolved_at IS NULL;`);
    addColumns(db);
    this.known = db.prepare<[string], { id: string }>(
      "SELECT id FROM discrepancies_announced WHERE id = ?",
    );
    this.remember = db.prepare<[string, string]>(
      "INSERT OR IGNORE INTO discrepancies_announced (id, at) VALUES (?, ?)",
    );
    this.openOf = db.prepare<[string], OpenRow>("SELECT * FROM discrepancies_open WHERE id = ?");
    this.open = db.prepare<
      [string, string, string | null, string | null, string | null, string, string, number]
    >(
      `INSERT INTO discrepancies_open (id, kind, order_no, customer, sku, opened_at, since, complete)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.reopen = db.prepare<[string, number, string]>(
      "UPDATE discrepancies_open SET opened_at = ?, resolved_at = NULL, complete = ? WHERE id = ?",
    );
    this.seenComplete = db.prepare<[string]>(
      "UPDATE discrepancies_open SET complete = 1 WHERE id = ? AND complete = 0",
    );
    this.stillOpen = db.prepare<[], OpenRow>(
      "SELECT * FROM discrepancies_open WHERE resolved_at IS NULL",
    );
    this.resolve = db.prepare<[string, string]>(
      "UPDATE discrepancies_open SET resolved_at = ? WHERE id = ?",
    );
  }

  /**
   * Announces the discrepancies not announced before (or resolved since);
   * with `complete`, the list is every discrepancy there is now, and the
   * open ones missing from it are resolved. Returns how many were announced.
   */
  announce(
    discrepancies: readonly Discrepancy[],
    at: string,
    options: { complete?: boolean; graceDays?: number } = {},
  ): number {
    const complete = options.complete ? 1 : 0;
    const announced = this.db.transaction(() => {
      const fresh: Discrepancy[] = [];
      for (const item of discrepancies) {
        const row = this.openOf.get(item.id);
        if (row && row.resolved_at === null) {
          if (complete) this.seenComplete.run(item.id);
          continue;
        }
        // Announced before this table existed: the live feed had it; the ERP hears of it from now on.
        const liveKnew = this.known.get(item.id) !== undefined;
        if (row) this.reopen.run(at, complete, item.id);
        else
          this.open.run(
            item.id,
            item.kind,
            item.order,
            item.customer,
            item.sku,
            at,
            item.since,
            complete,
          );
        this.remember.run(item.id, at);
        this.webhooks?.enqueue("discrepancy.opened", item);
        if (!liveKnew || row) fresh.push(item);
      }
      if (options.complete) this.resolveMissing(discrepancies, at, options.graceDays ?? 0);
      return fresh;
    })();
    for (const item of announced) this.events.publish?.("discrepancy", item);
    return announced.length;
  }

  private resolveMissing(current: readonly Discrepancy[], at: string, graceDays: number): void {
    const ids = new Set(current.map((item) => item.id));
    const now = Date.parse(at);
    for (const row of this.stillOpen.all()) {
      if (ids.has(row.id)) continue;
      // Seen only with a shorter grace: perhaps still there, hidden by the site's grace.
      const start = Date.parse(row.since ?? row.opened_at);
      if (!row.complete && now - start < graceDays * DAY_MS) continue;
      this.resolve.run(at, row.id);
      const data: WebhookEventData["discrepancy.resolved"] = {
        id: row.id,
        kind: row.kind,
        order: row.order_no,
        customer: row.customer,
        sku: row.sku,
        openedAt: row.opened_at,
        resolvedAt: at,
      };
      this.webhooks?.enqueue("discrepancy.resolved", data);
    }
  }
}

/** Columns added after the table first shipped (a store made by an earlier build has none). */
function addColumns(db: Database): void {
  const columns = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('discrepancies_open')")
      .all()
      .map((column) => column.name),
  );
  if (!columns.has("since")) db.exec("ALTER TABLE discrepancies_open ADD COLUMN since TEXT");
  if (!columns.has("complete"))
    db.exec("ALTER TABLE discrepancies_open ADD COLUMN complete INTEGER NOT NULL DEFAULT 0");
}

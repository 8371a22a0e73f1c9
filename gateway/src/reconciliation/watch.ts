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
}

/**
 * Remembers which discrepancies were already announced, so that each one is
 * pushed on the live feed and sent to the ERP (`discrepancy.opened`) once,
 * however often reconciliation runs (on request, or on a timer). The ids
 * are stable: a gap that changes (one more item shipped) is a new
 * discrepancy. A complete run (no filter, as of now) also tells which open
 * ones are gone (`discrepancy.resolved`); a gap that comes back opens again.
 */
export class DiscrepancyAnnouncer {
  private readonly known;
  private readonly remember;
  private readonly openOf;
  private readonly open;
  private readonly reopen;
  private readonly stillOpen;
  private readonly resolve;

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
    this.known = db.prepare<[string], { id: string }>(
      "SELECT id FROM discrepancies_announced WHERE id = ?",
    );
    this.remember = db.prepare<[string, string]>(
      "INSERT OR IGNORE INTO discrepancies_announced (id, at) VALUES (?, ?)",
    );
    this.openOf = db.prepare<[string], OpenRow>("SELECT * FROM discrepancies_open WHERE id = ?");
    this.open = db.prepare<[string, string, string | null, string | null, string | null, string]>(
      `INSERT INTO discrepancies_open (id, kind, order_no, customer, sku, opened_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.reopen = db.prepare<[string, string]>(
      "UPDATE discrepancies_open SET opened_at = ?, resolved_at = NULL WHERE id = ?",
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
    options: { complete?: boolean } = {},
  ): number {
    const announced = this.db.transaction(() => {
      const fresh: Discrepancy[] = [];
      for (const item of discrepancies) {
        const row = this.openOf.get(item.id);
        if (row && row.resolved_at === null) continue;
        // Announced before this table existed: the live feed had it; the ERP hears of it from now on.
        const liveKnew = this.known.get(item.id) !== undefined;
        if (row) this.reopen.run(at, item.id);
        else this.open.run(item.id, item.kind, item.order, item.customer, item.sku, at);
        this.remember.run(item.id, at);
        this.webhooks?.enqueue("discrepancy.opened", item);
        if (!liveKnew || row) fresh.push(item);
      }
      if (options.complete) this.resolveMissing(discrepancies, at);
      return fresh;
    })();
    for (const item of announced) this.events.publish?.("discrepancy", item);
    return announced.length;
  }

  private resolveMissing(current: readonly Discrepancy[], at: string): void {
    const ids = new Set(current.map((item) => item.id));
    for (const row of this.stillOpen.all()) {
      if (ids.has(row.id)) continue;
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

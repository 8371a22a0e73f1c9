import type { AnalyticsAlertKind, AnalyticsAlertView, Clock, Logger } from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { LiveEvents } from "../live/events.js";
import { prepared } from "../store/prepared.js";
import type { WebhookSink } from "../webhooks/node-events.js";

/** The alerts an ERP is told of by webhook; slow movers and old stock stay on the dashboard. */
const WEBHOOK_OF = {
  reorder: "reorder.triggered",
  "below-cost": "margin.alert",
  "below-margin": "margin.alert",
} as const satisfies Partial<Record<AnalyticsAlertKind, string>>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS analytics_alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  sku TEXT,
  message TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  cleared_at TEXT,
  detail TEXT NOT NULL
) STRICT;
-- At most one open alert per kind and subject: what makes each crossing raise once.
CREATE UNIQUE INDEX IF NOT EXISTS analytics_alerts_open ON analytics_alerts (kind, subject) WHERE cleared_at IS NULL;
CREATE INDEX IF NOT EXISTS analytics_alerts_raised ON analytics_alerts (raised_at);
`;

interface AlertRow {
  id: number;
  kind: AnalyticsAlertKind;
  subject: string;
  sku: string | null;
  message: string;
  raised_at: string;
  cleared_at: string | null;
  detail: string;
}

export interface AlertInput {
  kind: AnalyticsAlertKind;
  /** Stable across raises: `sku`, `sku@zone`, `invoice:<no>:<line>`, `sale:<id>:<sku>`. */
  subject: string;
  sku: string | null;
  message: string;
  detail: Record<string, unknown>;
}

const view = (row: AlertRow): AnalyticsAlertView => ({
  id: row.id,
  kind: row.kind,
  subject: row.subject,
  sku: row.sku,
  message: row.message,
  raisedAt: row.raised_at,
  clearedAt: row.cleared_at,
  detail: JSON.parse(row.detail) as Record<string, unknown>,
});

/**
 * The analytics alerts, kept in the store so that each fires once per
 * crossing across restarts: `raise` does nothing while an alert of the same
 * kind and subject is open, `clear` closes it (the next crossing raises
 * again). Both publish to the live feed (event `analytics`) when they change
 * something.
 */
export class AnalyticsAlerts {
  constructor(
    private readonly db: Database.Database,
    private readonly options: {
      clock: Clock;
      events?: LiveEvents;
      logger?: Logger;
      /** The outbox: a raised reorder or margin alert goes out with its row, in one transaction. */
      webhooks?: WebhookSink;
    },
  ) {
    db.exec(SCHEMA);
  }

  /** Raises the alert unless one of its kind and subject is open; returns it when raised. */
  raise(input: AlertInput): AnalyticsAlertView | undefined {
    const at = this.options.clock.now().toISOString();
    const alert = this.db.transaction(() => {
      const row = prepared<unknown[], AlertRow>(
        this.db,
        `INSERT INTO analytics_alerts (kind, subject, sku, message, raised_at, detail)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
      ).get(input.kind, input.subject, input.sku, input.message, at, JSON.stringify(input.detail));
      if (!row) return undefined;
      const raised = view(row);
      const type = WEBHOOK_OF[raised.kind as keyof typeof WEBHOOK_OF];
      if (type) this.options.webhooks?.enqueue(type, raised);
      return raised;
    })();
    if (!alert) return undefined;
    this.options.logger?.info({ alert: alert.kind, subject: alert.subject }, alert.message);
    this.options.events?.publish?.("analytics", alert);
    return alert;
  }

  /** Closes the open alert of this kind and subject; returns it when there was one. */
  clear(kind: AnalyticsAlertKind, subject: string): AnalyticsAlertView | undefined {
    const at = this.options.clock.now().toISOString();
    const row = prepared<unknown[], AlertRow>(
      this.db,
      `UPDATE analytics_alerts SET cleared_at = ? WHERE kind = ? AND subject = ? AND cleared_at IS NULL RETURNING *`,
    ).get(at, kind, subject);
    if (!row) return undefined;
    const alert = view(row);
    this.options.events?.publish?.("analytics", alert);
    return alert;
  }

  /** Whether an alert of this kind and subject is open. */
  isOpen(kind: AnalyticsAlertKind, subject: string): boolean {
    return (
      prepared<unknown[], { id: number }>(
        this.db,
        "SELECT id FROM analytics_alerts WHERE kind = ? AND subject = ? AND cleared_at IS NULL",
      ).get(kind, subject) !== undefined
    );
  }

  /** Newest first; open ones only unless `all`. */
  list(
    filter: { kind?: AnalyticsAlertKind; all?: boolean; limit?: number } = {},
  ): AnalyticsAlertView[] {
    // better-sqlite3 binds numbered parameters (?1) by name, from an object, not by position.
    const rows = prepared<[Record<number, unknown>], AlertRow>(
      this.db,
      `SELECT * FROM analytics_alerts
       WHERE (?1 IS NULL OR kind = ?1) AND (?2 = 1 OR cleared_at IS NULL)
       ORDER BY id DESC LIMIT ?3`,
    ).all({ 1: filter.kind ?? null, 2: filter.all ? 1 : 0, 3: filter.limit ?? 500 });
    return rows.map(view);
  }
}

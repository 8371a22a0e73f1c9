import {
  type Clock,
  stripUserinfo,
  systemClock,
  type WebhookDeadLetter,
  type WebhookSubscriptionStatus,
} from "@comptoir/contracts";
import type Database from "better-sqlite3";
import type { WebhookSubscription } from "./outbox.js";
import { ensureWebhookTables } from "./tables.js";

/** A subscription as the admin sees it: never its secret. */
export interface ListedSubscription extends WebhookSubscription {
  readonly url: string;
}

interface DeadRow {
  id: number;
  subscription: string;
  seq: number;
  key: string;
  type: string;
  data: string;
  occurred_at: string;
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
  dead_at: string | null;
  state: string;
}

const DEAD_SELECT = `SELECT d.id, d.subscription, d.event AS seq, e.idempotency_key AS key, e.type, e.data,
  e.occurred_at, d.attempts, d.last_error, d.last_attempt_at, d.dead_at, d.state
  FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event`;

export type ReplayResult =
  | { kind: "replayed"; deadLetter: WebhookDeadLetter }
  | { kind: "not-found" }
  | { kind: "not-dead"; state: string };

/** What an admin asks of the outbox: each subscription's standing, the dead letters, a replay. */
export class WebhookAdmin {
  private readonly clock: Clock;
  /** Tells the deliverer a replayed event is due now. */
  private readonly wake: () => void;

  constructor(
    private readonly db: Database.Database,
    private readonly subscriptions: readonly ListedSubscription[],
    options: { clock?: Clock; wake?: () => void } = {},
  ) {
    ensureWebhookTables(db);
    this.clock = options.clock ?? systemClock;
    this.wake = options.wake ?? (() => {});
  }

  list(): WebhookSubscriptionStatus[] {
    const counts = this.db.prepare<[string], { pending: number; dead: number }>(
      `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'dead'), 0) AS dead
       FROM webhook_deliveries WHERE subscription = ? AND state IN ('pending', 'dead')`,
    );
    const head = this.db.prepare<
      [string],
      { seq: number; attempts: number; next_attempt_at: number; occurred_at: string }
    >(
      `SELECT d.event AS seq, d.attempts, d.next_attempt_at, e.occurred_at FROM webhook_deliveries d
       JOIN webhook_events e ON e.id = d.event
       WHERE d.subscription = ? AND d.state = 'pending' ORDER BY d.event LIMIT 1`,
    );
    const status = this.db.prepare<
      [string],
      {
        last_delivered_at: string | null;
        last_delivered_event: number | null;
        last_error: string | null;
        last_error_at: string | null;
      }
    >(
      "SELECT last_delivered_at, last_delivered_event, last_error, last_error_at FROM webhook_subscription_status WHERE subscription = ?",
    );
    return this.subscriptions.map((subscription) => {
      const count = counts.get(subscription.id) ?? { pending: 0, dead: 0 };
      const first = head.get(subscription.id);
      const last = status.get(subscription.id);
      return {
        id: subscription.id,
        url: stripUserinfo(subscription.url),
        events: [...subscription.events],
        queue: { pending: count.pending, dead: count.dead },
        oldestPendingAt: first?.occurred_at ?? null,
        head: first
          ? {
              seq: first.seq,
              attempts: first.attempts,
              nextAttemptAt: new Date(first.next_attempt_at).toISOString(),
            }
          : null,
        lastDelivery:
          last?.last_delivered_at && last.last_delivered_event !== null
            ? { at: last.last_delivered_at, seq: last.last_delivered_event }
            : null,
        lastError:
          last?.last_error && last.last_error_at
            ? { at: last.last_error_at, message: last.last_error }
            : null,
      };
    });
  }

  /** Oldest first (commit order), optionally one subscription's. */
  deadLetters(options: { subscription?: string; limit: number }): WebhookDeadLetter[] {
    const rows = options.subscription
      ? this.db
          .prepare<[string, number], DeadRow>(
            `${DEAD_SELECT} WHERE d.state = 'dead' AND d.subscription = ? ORDER BY d.event, d.id LIMIT ?`,
          )
          .all(options.subscription, options.limit)
      : this.db
          .prepare<[number], DeadRow>(
            `${DEAD_SELECT} WHERE d.state = 'dead' ORDER BY d.event, d.id LIMIT ?`,
          )
          .all(options.limit);
    return rows.map(deadLetterOf);
  }

  /**
   * Puts a dead letter back at its subscription's queue with its tries
   * reset. It keeps its id, occurredAt and Idempotency-Key, and, being the
   * oldest pending event, goes out next: after events committed later that
   * were delivered while it was dead (out of order, by an admin's choice).
   */
  replay(id: number): ReplayResult {
    const result = this.db.transaction((): ReplayResult => {
      const row = this.db.prepare<[number], DeadRow>(`${DEAD_SELECT} WHERE d.id = ?`).get(id);
      if (!row) return { kind: "not-found" };
      if (row.state !== "dead") return { kind: "not-dead", state: row.state };
      this.db
        .prepare<[number, number]>(
          `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL
           WHERE id = ?`,
        )
        .run(this.clock.now().getTime(), id);
      return { kind: "replayed", deadLetter: deadLetterOf(row) };
    })();
    if (result.kind === "replayed") this.wake();
    return result;
  }

  /**
   * Every dead letter (or one subscription's) back in its queue at once,
   * after a receiver's long outage: they go out in their commit order,
   * before anything committed since.
   */
  replayAll(options: { subscription?: string } = {}): number {
    const now = this.clock.now().getTime();
    const sql = `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL
       WHERE state = 'dead'`;
    const replayed = options.subscription
      ? this.db
          .prepare<[number, string]>(`${sql} AND subscription = ?`)
          .run(now, options.subscription).changes
      : this.db.prepare<[number]>(sql).run(now).changes;
    if (replayed > 0) this.wake();
    return replayed;
  }
}

function deadLetterOf(row: DeadRow): WebhookDeadLetter {
  return {
    id: row.id,
    subscription: row.subscription,
    event: {
      id: row.key,
      seq: row.seq,
      type: row.type,
      occurredAt: row.occurred_at,
      data: JSON.parse(row.data) as unknown,
    },
    attempts: row.attempts,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deadAt: row.dead_at,
  };
}

import type Database from "better-sqlite3";
import { ensureWebhookTables } from "./tables.js";

/** The delivery a subscription's worker sends next: its oldest pending event. */
export interface QueuedDelivery {
  /** The delivery's own id (what the dead-letter list and replay use). */
  id: number;
  subscription: string;
  /** The event's commit order. */
  seq: number;
  /** The `Idempotency-Key` and body `id`: the same on every try, after a restart and on replay. */
  key: string;
  type: string;
  /** The event's data as stored (JSON text). */
  data: string;
  occurredAt: string;
  /** Failed tries so far. */
  attempts: number;
  /** Not before this (ms since the epoch). */
  nextAttemptAt: number;
}

interface QueuedRow {
  id: number;
  subscription: string;
  seq: number;
  key: string;
  type: string;
  data: string;
  occurred_at: string;
  attempts: number;
  next_attempt_at: number;
}

/**
 * The deliverer's side of the outbox: each subscription's head, and the
 * outcome of each try, written with the subscription's status in one
 * transaction so a crash leaves either the old state or the new one.
 */
export class DeliveryQueue {
  private readonly headOf;
  private readonly markDelivered;
  private readonly markFailed;
  private readonly markDead;
  private readonly noteDelivered;
  private readonly noteFailed;

  constructor(private readonly db: Database.Database) {
    ensureWebhookTables(db);
    // Commit order within the subscription: the lowest event id still pending goes first.
    this.headOf = db.prepare<[string], QueuedRow>(
      `SELECT d.id, d.subscription, d.event AS seq, e.idempotency_key AS key, e.type, e.data,
              e.occurred_at, d.attempts, d.next_attempt_at
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event
       WHERE d.subscription = ? AND d.state = 'pending' ORDER BY d.event LIMIT 1`,
    );
    this.markDelivered = db.prepare<[string, string, number]>(
      `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1,
         last_attempt_at = ?, delivered_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.markFailed = db.prepare<[string, string, number, number]>(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?,
         next_attempt_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.markDead = db.prepare<[string, string, string, number]>(
      `UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, last_attempt_at = ?,
         last_error = ?, dead_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.noteDelivered = db.prepare<[string, string, string, number]>(
      `INSERT INTO webhook_subscription_status (subscription, last_attempt_at, last_delivered_at, last_delivered_event)
       VALUES (?, ?, ?, ?) ON CONFLICT (subscription) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
         last_delivered_at = excluded.last_delivered_at, last_delivered_event = excluded.last_delivered_event`,
    );
    this.noteFailed = db.prepare<[string, string, string, string]>(
      `INSERT INTO webhook_subscription_status (subscription, last_attempt_at, last_error, last_error_at)
       VALUES (?, ?, ?, ?) ON CONFLICT (subscription) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
         last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    );
  }

  /**
   * Deletes deliveries delivered before `before`, then the events no
   * delivery refers to any more (pending and dead ones keep theirs).
   * Event ids are AUTOINCREMENT: never given again after a deletion.
   */
  prune(before: Date): { deliveries: number; events: number } {
    const cutoff = before.toISOString();
    return this.db.transaction(() => {
      const deliveries = this.db
        .prepare<[string]>(
          "DELETE FROM webhook_deliveries WHERE state = 'delivered' AND delivered_at < ?",
        )
        .run(cutoff).changes;
      const events = this.db
        .prepare<[string]>(
          `DELETE FROM webhook_events WHERE occurred_at < ? AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries d WHERE d.event = webhook_events.id)`,
        )
        .run(cutoff).changes;
      return { deliveries, events };
    })();
  }

  head(subscription: string): QueuedDelivery | undefined {
    const row = this.headOf.get(subscription);
    if (!row) return undefined;
    return {
      id: row.id,
      subscription: row.subscription,
      seq: row.seq,
      key: row.key,
      type: row.type,
      data: row.data,
      occurredAt: row.occurred_at,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
    };
  }

  delivered(delivery: QueuedDelivery, at: Date): void {
    const when = at.toISOString();
    this.db.transaction(() => {
      this.markDelivered.run(when, when, delivery.id);
      this.noteDelivered.run(delivery.subscription, when, when, delivery.seq);
    })();
  }

  /** A failed try: retried at `nextAttemptAt`, or, with `dead`, parked in the dead-letter list. */
  failed(
    delivery: QueuedDelivery,
    error: string,
    at: Date,
    next: { dead: true } | { dead: false; nextAttemptAt: number },
  ): void {
    const when = at.toISOString();
    this.db.transaction(() => {
      if (next.dead) this.markDead.run(when, error, when, delivery.id);
      else this.markFailed.run(when, error, next.nextAttemptAt, delivery.id);
      this.noteFailed.run(delivery.subscription, when, error, when);
    })();
  }
}

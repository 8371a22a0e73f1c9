import { randomUUID } from "node:crypto";
import {
  type Clock,
  systemClock,
  type WebhookEventType,
  WebhookEventTypeSchema,
} from "@comptoir/contracts";
import type { WebhookSubscriptionConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import { ensureWebhookTables } from "./tables.js";

/** What the outbox needs of a subscription: its name and the event types it wants ("*": all). */
export interface WebhookSubscription {
  readonly id: string;
  readonly events: readonly WebhookSubscriptionConfig["events"][number][];
}

/**
 * The durable side of outbound webhooks. `enqueue` only runs INSERTs on
 * the caller's connection, so inside a better-sqlite3 transaction the
 * event commits with the change that caused it, or not at all; the
 * deliverer, woken right after, never sees an event whose change rolled back.
 */
export class Outbox {
  private readonly insertEvent;
  private readonly insertDelivery;
  private readonly clock: Clock;
  /** Subscription ids per event type, decided once: the filter is config, not data. */
  private readonly routes = new Map<WebhookEventType, readonly string[]>();
  private readonly listeners = new Set<() => void>();
  private wakeScheduled = false;

  constructor(
    private readonly db: Database.Database,
    options: { subscriptions: readonly WebhookSubscription[]; clock?: Clock },
  ) {
    ensureWebhookTables(db);
    this.clock = options.clock ?? systemClock;
    for (const type of WebhookEventTypeSchema.options) {
      const ids = options.subscriptions
        .filter((subscription) => subscription.events.some((e) => e === "*" || e === type))
        .map((subscription) => subscription.id);
      this.routes.set(type, ids);
    }
    this.insertEvent = db.prepare<[string, string, string, string]>(
      "INSERT INTO webhook_events (idempotency_key, type, data, occurred_at) VALUES (?, ?, ?, ?)",
    );
    this.insertDelivery = db.prepare<[string, number | bigint, number]>(
      "INSERT INTO webhook_deliveries (subscription, event, state, next_attempt_at) VALUES (?, ?, 'pending', ?)",
    );
  }

  /**
   * Records an event for every subscription that wants it. Synchronous and
   * INSERT-only: call it inside the transaction of the change it reports.
   * No subscription wants the type: nothing is stored.
   */
  enqueue(type: WebhookEventType, data: unknown): void {
    const subscriptions = this.routes.get(type) ?? [];
    if (subscriptions.length === 0) return;
    const now = this.clock.now();
    const json = JSON.stringify(data ?? null);
    const write = this.db.transaction(() => {
      const event = this.insertEvent.run(randomUUID(), type, json, now.toISOString());
      for (const subscription of subscriptions)
        this.insertDelivery.run(subscription, event.lastInsertRowid, now.getTime());
    });
    // Nested in the caller's transaction this is a savepoint: it commits or rolls back with it.
    write();
    this.scheduleWake();
  }

  /** Whether any subscription wants this type (callers may skip building costly data when not). */
  wants(type: WebhookEventType): boolean {
    return (this.routes.get(type)?.length ?? 0) > 0;
  }

  /** Called once after the commit of the enqueuing code (a later tick); returns the unsubscribe. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The wake-up runs on a later turn of the event loop: better-sqlite3
   * transactions are synchronous, so by then the caller's transaction has
   * committed (or rolled back, and the deliverer finds nothing new).
   */
  private scheduleWake(): void {
    if (this.wakeScheduled || this.listeners.size === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

import {
  type AnalyticsAlertView,
  type Clock,
  type LiveAlert,
  type LiveCreditDecision,
  type LiveNodeChange,
  type LiveOrderChange,
  type StockRow,
  systemClock,
} from "@comptoir/contracts";
import type { Discrepancy } from "../reconciliation/types.js";
import type { MovementRow } from "../store/store.js";

export const LIVE_EVENT_TYPES = [
  "movement",
  "stock",
  "node",
  "alert",
  "discrepancy",
  "credit",
  "order",
  "analytics",
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** What each event type carries. */
export interface LiveEventData {
  movement: MovementRow;
  /** A (sku, zone) whose count changed, with the new count. */
  stock: StockRow;
  /** A node whose state changed: enrolled, online/offline, chain broken. */
  node: LiveNodeChange;
  /** Something to look at (a credit alert names the customer; see LiveAlert). */
  alert: LiveAlert;
  /** A reconciliation gap seen for the first time (see reconciliation/watch.ts). */
  discrepancy: Discrepancy;
  /** A credit decision a counter took (approve or block), as synced from its ledger. */
  credit: LiveCreditDecision;
  /** A sales order whose state changed: placed, held, released, overridden, shipped, cancelled. */
  order: LiveOrderChange;
  /** An analytics alert raised or cleared: margin, slow mover, old stock, reorder (issue 16). */
  analytics: AnalyticsAlertView;
}

export type LiveEvent = {
  [T in LiveEventType]: { id: number; type: T; at: string; data: LiveEventData[T] };
}[LiveEventType];

/** Where the live feed takes its events from. */
export interface LiveEvents {
  /** The id of the last event so far (ids only increase, also across restarts). */
  lastId(): number;
  /** The events after `id`, oldest first; undefined when some of them are no longer kept (the client needs a snapshot). */
  since(id: number): LiveEvent[] | undefined;
  /** Calls `listener` with each new event; returns the unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** When the source takes events from the API too (an `EventHub` does): node enrolled, … */
  publish?<T extends LiveEventType>(type: T, data: LiveEventData[T]): LiveEvent;
}

/**
 * The live feed's event source: numbers events, keeps the last `capacity`
 * in a ring buffer for clients that reconnect, and fans them out. Ids start
 * from the clock's milliseconds × 1000, so that they keep increasing across
 * a restart and a client's old id is never mistaken for a new event.
 */
export class EventHub implements LiveEvents {
  private readonly ring: (LiveEvent | undefined)[];
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly clock: Clock;
  private readonly firstId: number;
  private last: number;

  constructor(options: { capacity?: number; clock?: Clock; firstId?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.ring = new Array(Math.max(1, options.capacity ?? 1000));
    this.firstId = options.firstId ?? this.clock.now().getTime() * 1000;
    this.last = this.firstId - 1;
  }

  publish<T extends LiveEventType>(type: T, data: LiveEventData[T]): LiveEvent {
    this.last += 1;
    const event = { id: this.last, type, at: this.clock.now().toISOString(), data } as LiveEvent;
    this.ring[this.last % this.ring.length] = event;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  lastId(): number {
    return this.last;
  }

  since(id: number): LiveEvent[] | undefined {
    if (!Number.isSafeInteger(id) || id > this.last) return undefined;
    const oldestKept = Math.max(this.firstId, this.last - this.ring.length + 1);
    if (id + 1 < oldestKept) return undefined;
    const events: LiveEvent[] = [];
    for (let next = id + 1; next <= this.last; next++) {
      const event = this.ring[next % this.ring.length];
      if (event?.id === next) events.push(event);
    }
    return events;
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { CREDIT_DECISION_TYPE, CreditDecisionDataSchema } from "@comptoir/contracts";
import type { IngestOutcome } from "../ingest/ingest.js";
import type { NodeStatusRecord } from "../ingest/mqtt-ingest.js";
import { MOVEMENT_COLUMNS, type MovementDbRow, type Store, toMovement } from "../store/store.js";
import type { LiveEventData, LiveEventType } from "./events.js";

/** Where events go: an `EventHub` fits. */
export interface EventSink {
  publish<T extends LiveEventType>(type: T, data: LiveEventData[T]): unknown;
}

/**
 * A catch-up of a million entries must not become a million WebSocket
 * messages: past this many movements in one batch, only the newest are
 * sent, and the `node` event says how many were stored.
 */
export const MAX_MOVEMENT_EVENTS_PER_BATCH = 200;

/**
 * Turns what ingest did into live-feed events: the movements a batch stored,
 * the new counts of the (SKU, zone) pairs they touched, the node's progress,
 * and an alert when its chain broke.
 */
export class IngestEvents {
  private readonly movementsOf;
  private readonly decisionsOf;
  private readonly degraded = new Map<string, Set<string>>();

  constructor(
    private readonly store: Store,
    private readonly sink: EventSink,
  ) {
    this.movementsOf = store.db.prepare<[string, number, number, number], MovementDbRow>(
      `SELECT ${MOVEMENT_COLUMNS} FROM movements m WHERE m.chain = ? AND m.seq > ? AND m.seq <= ? ORDER BY m.seq DESC LIMIT ?`,
    );
    this.decisionsOf = store.db.prepare<
      [string, number, number, string, number],
      { seq: number; data: string }
    >(
      "SELECT seq, data FROM entries WHERE chain = ? AND seq > ? AND seq <= ? AND type = ? ORDER BY seq DESC LIMIT ?",
    );
  }

  outcome(node: string, outcome: IngestOutcome): void {
    if (outcome.kind === "ack" && outcome.stored > 0) {
      this.stored(node, outcome.seq, outcome.stored);
    } else if (outcome.kind === "broken") {
      if (outcome.stored > 0) this.stored(node, outcome.ack, outcome.stored);
      this.broken(node, outcome);
    }
  }

  status(node: string, record: NodeStatusRecord): void {
    const { status } = record;
    this.sink.publish("node", {
      id: node,
      change: status.state,
      receivedAt: record.receivedAt,
      ...(status.state === "online"
        ? { headSeq: status.headSeq, ackedSeq: status.ackedSeq, readers: status.readers }
        : {}),
    });
    // A status comes again every minute: alert when a reader becomes degraded, not each time.
    const degraded = new Set(
      status.state === "online"
        ? status.readers.filter((reader) => reader.state === "degraded").map((reader) => reader.id)
        : [],
    );
    const before = this.degraded.get(node) ?? new Set<string>();
    if (status.state === "online") {
      for (const reader of status.readers) {
        if (reader.state !== "degraded" || before.has(reader.id)) continue;
        this.sink.publish("alert", {
          level: "warning",
          node,
          message: `reader ${reader.id} on ${node} is degraded${reader.detail ? `: ${reader.detail}` : ""}`,
        });
      }
    }
    this.degraded.set(node, degraded);
  }

  private stored(node: string, headSeq: number, count: number): void {
    const rows = this.movementsOf
      .all(node, headSeq - count, headSeq, MAX_MOVEMENT_EVENTS_PER_BATCH)
      .reverse();
    // The rows of GET /stock the batch changed: per product, or per GTIN no product has.
    const touched = new Map<string, { sku: string | null; gtin?: string; zone: string }>();
    for (const row of rows) {
      this.sink.publish("movement", toMovement(row));
      const item = { sku: row.sku, ...(row.sku === null && row.gtin ? { gtin: row.gtin } : {}) };
      for (const zone of [row.from_zone, row.to_zone]) {
        if (zone) touched.set(`${item.sku}\u0000${item.gtin}\u0000${zone}`, { ...item, zone });
      }
    }
    for (const row of touched.values()) {
      this.sink.publish("stock", { ...row, count: this.store.stockCount(row, row.zone) });
    }
    this.decisions(node, headSeq, count);
    this.sink.publish("node", { id: node, change: "synced", headSeq, stored: count });
  }

  /** The counters' credit decisions in the batch: blocked attempts are what managers look for. */
  private decisions(node: string, headSeq: number, count: number): void {
    const rows = this.decisionsOf
      .all(node, headSeq - count, headSeq, CREDIT_DECISION_TYPE, MAX_MOVEMENT_EVENTS_PER_BATCH)
      .reverse();
    for (const row of rows) {
      const parsed = CreditDecisionDataSchema.safeParse(JSON.parse(row.data));
      if (!parsed.success) continue;
      const decision = parsed.data;
      this.sink.publish("credit", {
        customer: decision.customer,
        node,
        seq: row.seq,
        decision: decision.decision,
        reasons: decision.reasons.map((reason) => reason.message),
        amount: decision.figures.amount,
        currency: decision.figures.currency,
        clerk: decision.clerk,
        offline: decision.figures.offline,
        at: decision.at,
      });
    }
  }

  private broken(node: string, outcome: Extract<IngestOutcome, { kind: "broken" }>): void {
    const broken = { seq: outcome.seq, reason: outcome.reason, detail: outcome.detail };
    this.sink.publish("node", { id: node, change: "broken", ...broken });
    this.sink.publish("alert", {
      level: "critical",
      node,
      message: `the chain of ${node} is broken at seq ${broken.seq}: ${broken.reason} (${broken.detail}); nothing after it is stored`,
    });
  }
}

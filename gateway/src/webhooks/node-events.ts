import type { WebhookEventData, WebhookEventType } from "@comptoir/contracts";
import type { Database } from "better-sqlite3";

/** Where events go: the outbox (its `enqueue` joins the caller's transaction). */
export interface WebhookSink {
  enqueue(type: WebhookEventType, data: unknown): void;
}

/**
 * `node.offline` and `node.broken`, once per change of state. A node's
 * status comes again every minute and its retained "offline" again at each
 * gateway start, and every batch of a broken chain is refused again: the
 * last state told is kept in the store, so the ERP hears of each
 * change once, across restarts.
 */
export class NodeWebhooks {
  private readonly told;
  private readonly tell;

  constructor(
    private readonly db: Database,
    private readonly sink: WebhookSink,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS webhook_node_states (
      node TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      broken_seq INTEGER
    ) STRICT`);
    this.told = db.prepare<[string], { state: string; broken_seq: number | null }>(
      "SELECT state, broken_seq FROM webhook_node_states WHERE node = ?",
    );
    this.tell = db.prepare<[string, string, number | null]>(
      `INSERT INTO webhook_node_states (node, state, broken_seq) VALUES (?, ?, ?)
       ON CONFLICT (node) DO UPDATE SET state = excluded.state,
         broken_seq = COALESCE(excluded.broken_seq, webhook_node_states.broken_seq)`,
    );
  }

  /** A status arrived: online is remembered (so the next offline is news), offline told once. */
  status(node: string, state: "online" | "offline", at: string): void {
    this.db.transaction(() => {
      const before = this.told.get(node);
      if (before?.state === state) return;
      this.tell.run(node, state, null);
      if (state !== "offline") return;
      const data: WebhookEventData["node.offline"] = { node, headSeq: this.headSeq(node), at };
      this.sink.enqueue("node.offline", data);
    })();
  }

  /** A batch was refused because the chain is broken at `seq`: told once per break. */
  broken(node: string, broken: { seq: number; reason: string; detail?: string }, at: string): void {
    this.db.transaction(() => {
      const before = this.told.get(node);
      if (before?.broken_seq === broken.seq) return;
      this.tell.run(node, before?.state ?? "online", broken.seq);
      const data: WebhookEventData["node.broken"] = {
        node,
        seq: broken.seq,
        reason: broken.reason,
        detail: broken.detail ?? null,
        at,
      };
      this.sink.enqueue("node.broken", data);
    })();
  }

  /**
   * At start: chains the store holds as broken that the ERP was not told of
   * (the gateway stopped between storing the break and telling it).
   */
  catchUp(
    nodes: readonly {
      id: string;
      broken: { seq: number; reason: string; detail: string } | null;
    }[],
    at: string,
  ): void {
    for (const node of nodes) if (node.broken) this.broken(node.id, node.broken, at);
  }

  private headSeq(node: string): number | null {
    return (
      this.db
        .prepare<[string], { seq: number | null }>(
          "SELECT MAX(seq) AS seq FROM entries WHERE chain = ?",
        )
        .get(node)?.seq ?? null
    );
  }
}

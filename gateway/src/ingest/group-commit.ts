import type { Database } from "better-sqlite3";
import type { Ingest, IngestOutcome } from "./ingest.js";
import type { BatchHandler } from "./mqtt-ingest.js";
import type { SegmentVerdict } from "./segment-verdict.js";

/** One batch waiting for the next group, and whom to tell once its group is durable. */
interface Waiting {
  node: string;
  payload: string | Buffer;
  verdict: SegmentVerdict | undefined;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/** How one batch of a group ended inside the group's transaction. */
type Settled = { outcome: IngestOutcome } | { error: unknown };

/**
 * How long a group may take before the batches still waiting are left for the next
 * turn: HTTP requests share the event loop with ingest and wait behind a group, so
 * a group of large batches must not hold them up longer than one batch did alone.
 * Small batches (a shelf node's few entries a second) group by the dozen within it.
 */
export const DEFAULT_MAX_GROUP_MS = 10;

/**
 * Group commit: the ledger batches that arrive within one turn of the event
 * loop, from any nodes, are verified and stored in ONE transaction, so that
 * they share one commit (its WAL frames and its fsync) instead of paying one
 * each. Each batch is answered only once that transaction is durable: an
 * acknowledgement never runs ahead of the disk. A group takes batches until
 * it has run for `maxGroupMs`; the rest wait for the next turn, after the
 * event loop has served whatever I/O came in.
 *
 * Each batch is handled by `Ingest.handleBatch` inside a savepoint of its
 * own: a batch that throws is rolled back alone and its promise rejected,
 * the others of its group are stored and answered. A batch that is refused
 * or breaks its chain is an outcome like any other. Two batches of one node
 * in the same group chain correctly, because the second is verified from
 * the head the first left in the (still open) transaction.
 */
export class GroupCommit implements BatchHandler {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly maxGroupMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ingest: Pick<Ingest, "handleBatch">,
    private readonly db: Database,
    options: { maxGroupMs?: number; now?: () => number } = {},
  ) {
    this.maxGroupMs = options.maxGroupMs ?? DEFAULT_MAX_GROUP_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Resolves with the batch's outcome once the group it was stored in is committed.
   * `verdict`: what PreVerify's worker found of the batch, handed on to Ingest.
   */
  handleBatch(
    node: string,
    payload: string | Buffer,
    verdict?: SegmentVerdict,
  ): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ node, payload, verdict, resolve, reject });
      this.schedule();
    });
  }

  /** On the next turn, after whatever else arrives in this one has joined the waiting. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  private commit(): void {
    const group: Waiting[] = [];
    const settled: Settled[] = [];
    const started = this.now();
    try {
      this.db
        .transaction(() => {
          while (
            this.waiting.length > 0 &&
            (group.length === 0 || this.now() - started < this.maxGroupMs)
          ) {
            // A failure SQLite answers by rolling back the whole transaction (a full
            // disk, an I/O error) leaves nothing to add to: the rest wait for the next group.
            if (!this.db.inTransaction) break;
            const batch = this.waiting.shift() as Waiting;
            group.push(batch);
            try {
              const stored = this.db.transaction(() =>
                this.ingest.handleBatch(batch.node, batch.payload, batch.verdict),
              );
              settled.push({ outcome: stored() });
            } catch (error) {
              settled.push({ error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // Not committed: nothing of the group is acknowledged; the nodes send again. When
      // not even begun (the database busy or gone), the waiting go rather than retry forever.
      for (const batch of group.length > 0 ? group : this.waiting.splice(0)) batch.reject(error);
      return;
    } finally {
      if (this.waiting.length > 0) this.schedule();
    }
    for (const [i, batch] of group.entries()) {
      const done = settled[i] as Settled;
      if ("outcome" in done) batch.resolve(done.outcome);
      else batch.reject(done.error);
    }
  }
}

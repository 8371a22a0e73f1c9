import {
  CHECKPOINT_TYPE,
  type ChainIdentity,
  type ChainPoint,
  type Clock,
  EntryTypeSchema,
  GENESIS_PREV,
  type LedgerEntry,
  sealEntry,
  signCheckpoint,
  systemClock,
  type VerifyResult,
  verify,
} from "@comptoir/contracts";
import type { Statement } from "better-sqlite3";
import type { Store } from "../store/store.js";

export const GATEWAY_CHAIN = "gateway";

/** Who caused a business event: an API token, a signed-in user, or the gateway itself. */
export interface Actor {
  kind: "token" | "user" | "system";
  id: string;
}

/**
 * The gateway's own chain, in the nodes' format and signed with the
 * gateway's key, stored in the same `entries` table. `record()` joins the
 * caller's SQLite transaction, so a business change and the entry that
 * records it commit together or not at all.
 */
export class GatewayLedger {
  private readonly clock: Clock;
  private readonly checkpointEvery: number;
  private readonly last: Statement<[string], { seq: number; hash: string }>;
  private readonly insert: Statement<
    [string, number, string, string, string, string, string, string]
  >;
  private readonly listeners = new Set<(entry: LedgerEntry) => void>();
  /** Types already checked: a business event records the same few types again and again. */
  private readonly validTypes = new Set<string>();
  /** Wrapped once: better-sqlite3 builds a transaction function at some cost, and every entry would pay it. */
  private readonly appendInTransaction: (
    type: string,
    data: Record<string, unknown>,
  ) => LedgerEntry;

  constructor(
    private readonly store: Store,
    private readonly identity: ChainIdentity,
    options: { clock?: Clock; checkpointEvery?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.checkpointEvery = options.checkpointEvery ?? 1000;
    this.last = store.db.prepare(
      "SELECT seq, hash FROM entries WHERE chain = ? ORDER BY seq DESC LIMIT 1",
    );
    this.insert = store.db.prepare(
      "INSERT INTO entries (chain, seq, ts, type, data, prev, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.appendInTransaction = store.db.transaction(
      (type: string, data: Record<string, unknown>) => {
        const entry = this.append(type, data);
        for (const listener of this.listeners) listener(entry);
        if (entry.seq % this.checkpointEvery === 0) this.checkpoint();
        return entry;
      },
    );
  }

  /** The gateway's Ed25519 public key (hex): nodes check what the gateway sends them against it. */
  get publicKeyHex(): string {
    return this.identity.publicKeyHex;
  }

  get head(): ChainPoint {
    return this.last.get(GATEWAY_CHAIN) ?? { seq: 0, hash: GENESIS_PREV };
  }

  /** Appends `{ by: actor, ...data }` as an entry of `type`; a signed checkpoint follows every N entries. */
  record(type: string, data: Record<string, unknown>, actor: Actor): LedgerEntry {
    if (!this.validTypes.has(type)) {
      if (type === CHECKPOINT_TYPE || !EntryTypeSchema.safeParse(type).success) {
        throw new RangeError(`"${type}" cannot be a gateway entry type`);
      }
      this.validTypes.add(type);
    }
    return this.appendInTransaction(type, { by: actor, ...data });
  }

  /**
   * Calls `listener` with each business entry inside the transaction that
   * records it (not checkpoints): what it writes commits with the change or
   * not at all, and if it throws the change is refused. The webhook outbox
   * listens here. Returns the unsubscribe function.
   */
  onRecord(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signs the current head (at clean shutdown, and every N entries). */
  checkpoint(): LedgerEntry | undefined {
    const head = this.head;
    if (head.seq === 0) return undefined;
    const last = this.store.db
      .prepare<[string, number], { type: string }>(
        "SELECT type FROM entries WHERE chain = ? AND seq = ?",
      )
      .get(GATEWAY_CHAIN, head.seq);
    if (last?.type === CHECKPOINT_TYPE) return undefined;
    return this.append(
      CHECKPOINT_TYPE,
      signCheckpoint(this.identity, { chain: GATEWAY_CHAIN, ...head }),
    );
  }

  verify(): VerifyResult {
    return verify(this.store.entries(GATEWAY_CHAIN), {
      chain: GATEWAY_CHAIN,
      publicKey: this.identity.publicKey,
    });
  }

  private append(type: string, data: unknown): LedgerEntry {
    const head = this.head;
    const now = this.clock.now().toISOString();
    const { entry } = sealEntry({
      seq: head.seq + 1,
      ts: now,
      chain: GATEWAY_CHAIN,
      type,
      data,
      prev: head.hash,
    });
    this.insert.run(
      GATEWAY_CHAIN,
      entry.seq,
      entry.ts,
      entry.type,
      JSON.stringify(entry.data),
      entry.prev,
      entry.hash,
      now,
    );
    return entry;
  }
}

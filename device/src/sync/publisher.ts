import type { ChainIdentity, ChainPoint, Logger } from "@comptoir/contracts";
import type { MqttClient } from "mqtt";
import { batchOverhead, signedBatchPayload } from "./batch.js";
import { LedgerCursor } from "./cursor.js";

export interface PublisherOptions {
  node: string;
  /** The node's Ed25519 identity: every batch is signed with it. */
  identity: ChainIdentity;
  /** `node/<node>/ledger`. */
  topic: string;
  /** The ledger directory the cursor reads. */
  dir: string;
  /** The ledger's durable head: nothing beyond it is ever sent. */
  durable: () => ChainPoint;
  logger: Logger;
  /** Bytes per MQTT message (payload), 256 KiB by default. */
  maxBatchBytes?: number;
  /** Entries per message, 2 000 by default (the contract allows 10 000). */
  maxBatchEntries?: number;
  /** Batches sent and not yet acknowledged by the gateway, 16 by default. */
  windowBatches?: number;
  /**
   * A batch of fewer than `lingerEntries` (64) entries leaves at least
   * `lingerMs` (50) after the one before it; the first after a quiet spell
   * leaves at once. A busy counter then sends one batch every 50 ms instead
   * of one per ledger commit (every 10 ms): each batch costs a signature, a
   * verification, two MQTT packets each way and a gateway commit, whatever
   * its size. A backlog still goes out a full window at a time. 0: no lingering.
   */
  lingerMs?: number;
  lingerEntries?: number;
  /** Without an ack for this long, send again from the acknowledged seq (doubling up to 5 min). */
  ackTimeoutMs?: number;
  /** Called with every new acknowledged seq. */
  onAcked?: (seq: number) => void;
}

const MAX_ACK_TIMEOUT_MS = 5 * 60_000;

/**
 * Replicates the ledger from the gateway's acknowledged seq: reads stored
 * lines, publishes them in batches (QoS 1) while connected, keeps at most a
 * window of batches unacknowledged, and starts again from the acknowledged
 * seq after a disconnect, a resend request or a silent gateway. The ledger
 * is the outbox: nothing is queued anywhere else.
 */
export class LedgerPublisher {
  private readonly cursor: LedgerCursor;
  private readonly maxBatchBytes: number;
  private readonly maxBatchEntries: number;
  private readonly windowBatches: number;
  private readonly lingerMs: number;
  private readonly lingerEntries: number;
  private readonly ackTimeoutMs: number;
  private acked = 0;
  /** The last seq handed to mqtt.js in this connection. */
  private sent = 0;
  /** Last seqs of the batches sent and not yet acknowledged. */
  private inflight: number[] = [];
  private connected = false;
  private mustSeek = true;
  private pumping = false;
  private again = false;
  private silence: NodeJS.Timeout | undefined;
  /** When the last batch left (performance.now()), and the timer that wakes the pump when lingering is over. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lingering: NodeJS.Timeout | undefined;
  private silenceMs: number;
  private stopped = false;
  private sentBatches = 0;

  constructor(
    private readonly client: MqttClient,
    private readonly options: PublisherOptions,
  ) {
    this.cursor = new LedgerCursor(options.dir);
    this.maxBatchBytes = options.maxBatchBytes ?? 256 * 1024;
    this.maxBatchEntries = options.maxBatchEntries ?? 2000;
    this.windowBatches = options.windowBatches ?? 16;
    this.lingerMs = options.lingerMs ?? 50;
    this.lingerEntries = options.lingerEntries ?? 64;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
    this.silenceMs = this.ackTimeoutMs;
  }

  get ackedSeq(): number {
    return this.acked;
  }

  get sentSeq(): number {
    return this.sent;
  }

  get batchesSent(): number {
    return this.sentBatches;
  }

  /** Where to start before the gateway has said anything (the persisted acknowledged seq). */
  resumeFrom(acked: number): void {
    this.acked = acked;
    this.rewind(acked);
  }

  /** The connection is up and subscribed: send from the acknowledged seq. */
  connectionUp(): void {
    this.connected = true;
    this.rewind(this.acked);
    this.wake();
  }

  /** The connection is gone: stop; what was in flight is sent again after reconnecting. */
  connectionDown(): void {
    this.connected = false;
    this.inflight = [];
    this.quiet();
  }

  /** The gateway stored everything up to `seq` (already checked to be ≤ the durable head). */
  acknowledge(seq: number): void {
    if (seq > this.acked) {
      this.acked = seq;
      this.inflight = this.inflight.filter((last) => last > seq);
      this.silenceMs = this.ackTimeoutMs;
      if (this.sent < seq) this.rewind(seq);
      this.quiet();
      if (this.inflight.length > 0) this.listen();
      this.options.onAcked?.(seq);
      this.wake();
    } else if (seq < this.acked) {
      // The gateway is authoritative: it no longer has what it acknowledged before.
      this.options.logger.warn(
        { seq, acked: this.acked },
        "the gateway acknowledges less than before; sending again from there",
      );
      this.acked = seq;
      this.rewind(seq);
      this.options.onAcked?.(seq);
      this.wake();
    }
  }

  /** The gateway asks for everything from `from` again (already checked against the head). */
  resend(from: number): void {
    this.options.logger.info({ from, sent: this.sent }, "resending on the gateway's request");
    this.rewind(from - 1);
    this.wake();
  }

  /** New entries may be durable: send them if the window allows. Cheap to call often. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.quiet();
    clearTimeout(this.lingering);
    while (this.pumping) await new Promise((resolve) => setImmediate(resolve));
    await this.cursor.close();
  }

  private rewind(to: number): void {
    this.sent = to;
    this.inflight = [];
    this.mustSeek = true;
    this.quiet();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (this.canSend()) {
          if (this.mustSeek) {
            this.mustSeek = false;
            const at = await this.cursor.seek(this.sent + 1);
            if (at > this.sent + 1) {
              this.options.logger.error(
                { wanted: this.sent + 1, first: at },
                "the ledger no longer holds the entries asked for (retention removed them after the gateway acknowledged them); sending from the oldest one kept",
              );
              this.sent = at - 1;
            }
            continue;
          }
          if (this.lingers()) break;
          const from = this.sent + 1;
          const lines = await this.cursor.take({
            until: this.options.durable().seq,
            maxEntries: this.maxBatchEntries,
            maxBytes: this.maxBatchBytes - batchOverhead(this.options.node, this.maxBatchEntries),
          });
          // A rewind or a disconnect while reading: what was read is stale.
          if (this.mustSeek || from !== this.sent + 1) continue;
          if (lines.length === 0) break;
          if (!this.client.connected) {
            this.mustSeek = true;
            break;
          }
          this.publish(lines, from);
        }
      } while (this.again);
    } catch (error) {
      this.mustSeek = true;
      this.options.logger.error(
        { err: error, from: this.sent + 1 },
        "reading the ledger for sync failed; trying again on the next ack or new entry",
      );
    } finally {
      this.pumping = false;
    }
  }

  private canSend(): boolean {
    return (
      !this.stopped &&
      this.connected &&
      this.client.connected &&
      this.inflight.length < this.windowBatches &&
      this.sent < this.options.durable().seq
    );
  }

  /** A few entries, soon after the last batch: they wait for the rest (a timer wakes the pump). */
  private lingers(): boolean {
    if (this.options.durable().seq - this.sent >= this.lingerEntries) return false;
    const left = this.lastSentAt + this.lingerMs - performance.now();
    if (left <= 0) return false;
    this.lingering ??= setTimeout(() => {
      this.lingering = undefined;
      this.wake();
    }, left);
    return true;
  }

  private publish(lines: string[], from: number): void {
    const last = from + lines.length - 1;
    this.client.publish(
      this.options.topic,
      signedBatchPayload(this.options.identity, this.options.node, from, lines),
      { qos: 1 },
      (error) => {
        if (error)
          this.options.logger.debug(
            { err: error, from, last },
            "batch not confirmed by the broker",
          );
      },
    );
    this.sent = last;
    this.inflight.push(last);
    this.sentBatches++;
    this.lastSentAt = performance.now();
    this.options.logger.trace({ from, last }, "batch sent");
    if (!this.silence) this.listen();
  }

  /** Starts waiting for the gateway: silence for too long sends again from the acknowledged seq. */
  private listen(): void {
    this.silence = setTimeout(() => {
      this.silence = undefined;
      if (!this.connected || this.inflight.length === 0) return;
      this.options.logger.warn(
        { acked: this.acked, sent: this.sent, waitedMs: this.silenceMs },
        "no ack from the gateway; sending again from the acknowledged seq",
      );
      this.silenceMs = Math.min(this.silenceMs * 2, MAX_ACK_TIMEOUT_MS);
      this.rewind(this.acked);
      this.wake();
    }, this.silenceMs);
  }

  private quiet(): void {
    clearTimeout(this.silence);
    this.silence = undefined;
  }
}

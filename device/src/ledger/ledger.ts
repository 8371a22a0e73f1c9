import { type FileHandle, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import {
  CHECKPOINT_TYPE,
  type ChainIdentity,
  ChainIdSchema,
  type ChainPoint,
  type Clock,
  EntryTypeSchema,
  type LedgerEntry,
  type Logger,
  sealEntry,
  signCheckpoint,
  silentLogger,
  systemClock,
} from "@comptoir/contracts";
import { Batch } from "./batch.js";
import { LedgerClosedError, LedgerDamagedError, LedgerFailedError } from "./errors.js";
import { LedgerClock, lastEntryTs } from "./ledger-clock.js";
import { EPOCH_TYPE } from "./ledger-start.js";
import { readLines } from "./lines.js";
import {
  fsyncDirectory,
  lineSeq,
  listSegments,
  type Segment,
  segmentIndexFor,
  segmentName,
} from "./segments.js";
import { cutTornTail } from "./tail.js";
import { verifyLedgerDir } from "./verify-dir.js";

export interface LedgerOptions {
  dir: string;
  /** The chain id: the node id, or "gateway". */
  chain: string;
  /** Signs checkpoints; its public key must match every checkpoint already stored. */
  identity: ChainIdentity;
  /** "group": one fsync per commit window; "entry": one fsync per entry. */
  fsync?: "group" | "entry";
  groupCommitMs?: number;
  segmentBytes?: number;
  checkpointEvery?: number;
  /** On open, verify from the last checkpoint ("tail", the default) or everything. */
  verifyOnOpen?: "tail" | "all";
  clock?: Clock;
  logger?: Logger;
}

/** One entry may not exceed this, so that a torn line is always found near the end. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * The node's append-only, hash-chained ledger. `append()` resolves only when
 * the entry is on disk; appends made together share one write and one fsync
 * (group commit), and seq order is the order of the calls.
 */
export class Ledger {
  private readonly options: Required<Omit<LedgerOptions, "logger" | "clock">>;
  private readonly clock: LedgerClock;
  private readonly log: Logger;
  private segments: Segment[];
  private file!: FileHandle;
  private segmentSize = 0;
  private appended: ChainPoint;
  private durableHead: ChainPoint;
  private sinceCheckpoint: number;
  private current: Batch | undefined;
  private readonly queue: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly validTypes = new Set<string>();

  private constructor(
    options: LedgerOptions,
    segments: Segment[],
    head: ChainPoint,
    sinceCheckpoint: number,
    lastTs?: string,
  ) {
    this.options = {
      fsync: "group",
      groupCommitMs: 10,
      segmentBytes: 16 * 1024 * 1024,
      checkpointEvery: 1000,
      verifyOnOpen: "tail",
      ...withoutUndefined(options),
    } as Required<Omit<LedgerOptions, "logger" | "clock">>;
    this.log = (options.logger ?? silentLogger).child({ module: "ledger", chain: options.chain });
    this.clock = new LedgerClock(options.clock ?? systemClock, this.log, lastTs);
    this.segments = segments;
    this.appended = head;
    this.durableHead = head;
    this.sinceCheckpoint = sinceCheckpoint;
  }

  /**
   * Opens (or creates) a ledger directory: cuts a torn last line off with a
   * warning, verifies the chain, and refuses any other damage.
   */
  static async open(options: LedgerOptions): Promise<Ledger> {
    const chain = ChainIdSchema.safeParse(options.chain);
    if (!chain.success)
      throw new RangeError(
        `"${options.chain}" cannot be a chain id: ${chain.error.issues[0]?.message}`,
      );
    await mkdir(options.dir, { recursive: true });
    const log = (options.logger ?? silentLogger).child({ module: "ledger", chain: options.chain });
    const last = (await listSegments(options.dir)).at(-1);
    if (last) {
      const cut = await cutTornTail(last.path);
      if (cut > 0) {
        log.warn(
          { file: last.path, bytes: cut },
          "cut off a torn last line (an unfinished write before a crash or power loss)",
        );
      }
    }
    const checked = await verifyLedgerDir(options.dir, {
      chain: options.chain,
      publicKey: options.identity.publicKey,
      fromLastCheckpoint: (options.verifyOnOpen ?? "tail") === "tail",
    });
    if (!checked.result.ok) {
      const { seq, reason, detail } = checked.result;
      throw new LedgerDamagedError(options.dir, seq, reason, detail);
    }
    const head = checked.result.head;
    const lastTs = await lastEntryTs(checked.segments);
    const ledger = new Ledger(options, checked.segments, head, checked.sinceCheckpoint, lastTs);
    await ledger.openLastSegment();
    log.info({ dir: options.dir, head: head.seq, verified: checked.result.count }, "ledger opened");
    return ledger;
  }

  /**
   * Starts a new epoch of the chain in an empty directory (the old epoch's
   * segments moved aside, kept as evidence). Its first entry, of type
   * `epoch`, is `after.seq + 1` and links to `after.hash`, the last entry
   * the gateway verified; a signed checkpoint follows at once, so the new
   * start is vouched for by the node's key from the first write.
   */
  static async startEpoch(
    options: LedgerOptions,
    after: ChainPoint,
    data: Record<string, unknown>,
  ): Promise<Ledger> {
    await mkdir(options.dir, { recursive: true });
    if ((await listSegments(options.dir)).length > 0) {
      throw new Error(`${options.dir} already holds ledger segments: move them aside first`);
    }
    const ledger = new Ledger(options, [], after, 0);
    await ledger.openLastSegment();
    await ledger.append(EPOCH_TYPE, data);
    await ledger.checkpoint();
    return ledger;
  }

  /** The last appended entry (durable or about to be). */
  get head(): ChainPoint {
    return { ...this.appended };
  }

  /** The last entry known to be on disk. */
  get durable(): ChainPoint {
    return { ...this.durableHead };
  }

  get chain(): string {
    return this.options.chain;
  }

  append(type: string, data: unknown): Promise<LedgerEntry> {
    if (type === CHECKPOINT_TYPE) {
      return Promise.reject(new RangeError("checkpoint entries are written by the ledger itself"));
    }
    if (!this.validTypes.has(type)) {
      if (!EntryTypeSchema.safeParse(type).success) {
        return Promise.reject(new RangeError(`"${type}" is not a valid entry type`));
      }
      this.validTypes.add(type);
    }
    try {
      const entry = this.add(type, data);
      const batch = this.current as Batch;
      if (++this.sinceCheckpoint >= this.options.checkpointEvery) this.addCheckpoint();
      this.schedule();
      return batch.done.then(() => entry);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Signs the current head now, unless nothing was appended since the last checkpoint. */
  async checkpoint(): Promise<void> {
    this.usable();
    if (this.sinceCheckpoint === 0) return;
    this.addCheckpoint();
    const batch = this.current as Batch;
    this.schedule();
    await batch.done;
  }

  /** Waits until everything appended so far is durable. */
  async flush(): Promise<void> {
    this.closeBatch();
    this.kick();
    while (this.draining) await this.draining;
    if (this.failure) throw this.failure;
  }

  /** Entries from `seq` up to the durable head, read from disk. */
  async *readFrom(seq: number): AsyncGenerator<LedgerEntry> {
    for await (const line of this.readLinesFrom(seq)) yield JSON.parse(line) as LedgerEntry;
  }

  /** Stored lines (canonical JSON, no newline) from `seq` up to the durable head. */
  async *readLinesFrom(seq: number): AsyncGenerator<string> {
    const until = this.durableHead.seq;
    if (seq > until) return;
    const segments = this.segments.slice(segmentIndexFor(this.segments, seq));
    for (const segment of segments) {
      for await (const line of readLines(segment.path)) {
        const at = lineSeq(line);
        if (at < seq) continue;
        if (at > until) return;
        yield line;
      }
    }
  }

  /** Re-reads the segment list after retention removed old segments. */
  async refreshSegments(): Promise<void> {
    const current = this.segments.at(-1);
    this.segments = (await listSegments(this.options.dir)).filter(
      (segment) => segment.firstSeq <= (current?.firstSeq ?? 0),
    );
  }

  /** Signs a final checkpoint, writes what is pending and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.failure && this.sinceCheckpoint > 0) this.addCheckpoint();
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      await this.file.close();
      this.log.info({ head: this.durableHead.seq }, "ledger closed");
    }
  }

  private add(type: string, data: unknown): LedgerEntry {
    this.usable();
    const { entry, line } = sealEntry({
      seq: this.appended.seq + 1,
      ts: this.clock.now().toISOString(),
      chain: this.options.chain,
      type,
      data,
      prev: this.appended.hash,
    });
    if (line.length > MAX_LINE_BYTES) {
      throw new RangeError(
        `a ledger entry may not exceed ${MAX_LINE_BYTES} bytes; this one has ${line.length}`,
      );
    }
    this.current ??= new Batch(entry.seq);
    this.current.add(line, entry.seq, entry.hash);
    this.appended = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  private addCheckpoint(): void {
    const data = signCheckpoint(this.options.identity, {
      chain: this.options.chain,
      ...this.appended,
    });
    this.add(CHECKPOINT_TYPE, data);
    this.sinceCheckpoint = 0;
  }

  private usable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new LedgerClosedError();
  }

  private schedule(): void {
    if (this.options.fsync === "entry") {
      this.closeBatch();
      this.kick();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.closeBatch();
        this.kick();
      }, this.options.groupCommitMs);
    }
  }

  private closeBatch(): void {
    if (!this.current) return;
    this.queue.push(this.current);
    this.current = undefined;
  }

  private kick(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.failure) {
      // Everything queued while the last fsync ran goes out in one write and
      // one fsync: that is group commit. With fsync "entry", one batch at a time.
      const group = this.queue.splice(0, this.options.fsync === "entry" ? 1 : this.queue.length);
      try {
        await this.write(group);
      } catch (error) {
        this.fail(error as Error, group);
        return;
      }
      const last = group.at(-1) as Batch;
      this.durableHead = { seq: last.lastSeq, hash: last.lastHash };
      for (const batch of group) batch.resolve();
    }
  }

  private async write(group: Batch[]): Promise<void> {
    const parts = group.flatMap((batch) => batch.take());
    const buffer = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    if (this.segmentSize > 0 && this.segmentSize + buffer.length > this.options.segmentBytes) {
      await this.rotate((group[0] as Batch).firstSeq);
    }
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.file.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
    await this.file.datasync();
    this.segmentSize += buffer.length;
  }

  private async rotate(firstSeq: number): Promise<void> {
    await this.file.close();
    const segment = { firstSeq, path: join(this.options.dir, segmentName(firstSeq)) };
    this.file = await open(segment.path, "a");
    this.segmentSize = 0;
    await fsyncDirectory(this.options.dir);
    this.segments.push(segment);
    this.log.info({ file: segment.path }, "started a new ledger segment");
  }

  private async openLastSegment(): Promise<void> {
    let last = this.segments.at(-1);
    if (!last) {
      // seq 1, or the first seq of a new epoch (startEpoch).
      const firstSeq = this.appended.seq + 1;
      last = { firstSeq, path: join(this.options.dir, segmentName(firstSeq)) };
      this.segments.push(last);
      this.file = await open(last.path, "a");
      await fsyncDirectory(this.options.dir);
    } else {
      this.file = await open(last.path, "a");
    }
    this.segmentSize = (await this.file.stat()).size;
  }

  private fail(error: Error, group: Batch[]): void {
    this.failure = new LedgerFailedError(
      `writing the ledger failed (${error.message}); entries after seq ${this.durableHead.seq} may not be stored. Restart to recover.`,
    );
    this.log.error({ err: error, durable: this.durableHead.seq }, "ledger write failed");
    const pending = [...group, ...this.queue.splice(0), ...(this.current ? [this.current] : [])];
    this.current = undefined;
    for (const batch of pending) batch.reject(this.failure);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Bytes gathered per buffer: a commit window's worth of small entries at a typical rate. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Entries appended within one commit window, made durable by one write and
 * one fsync. Each line is copied into off-heap buffers as it is appended:
 * lines kept as strings until the write would live through garbage
 * collections, and at a hundred thousand appends a second, copying them
 * from one young generation to the next is what the collector spends its
 * pauses on.
 */
export class Batch {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer | undefined;
  private used = 0;
  /** Bytes appended so far. */
  bytes = 0;
  lastSeq = 0;
  lastHash = "";
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: Error) => void;

  constructor(readonly firstSeq: number) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A batch that fails with nobody awaiting it must not crash the process;
    // every append() caller still receives the rejection through its own chain.
    this.done.catch(() => {});
  }

  add(line: string, seq: number, hash: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: with that much room
    // left the line fits, and its length need not be measured first.
    if (!this.chunk || this.chunk.length - this.used < line.length * 3) {
      const size = Buffer.byteLength(line, "utf8");
      if (!this.chunk || this.used + size > this.chunk.length) {
        this.seal();
        this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size));
      }
    }
    const written = this.chunk.write(line, this.used, "utf8");
    this.used += written;
    this.bytes += written;
    this.lastSeq = seq;
    this.lastHash = hash;
  }

  /** The appended bytes, in order; the batch keeps nothing of them afterwards. */
  take(): Buffer[] {
    this.seal();
    return this.chunks.splice(0);
  }

  private seal(): void {
    if (this.chunk && this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.chunk = undefined;
    this.used = 0;
  }
}
